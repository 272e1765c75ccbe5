// One variable (?environment=production|preview, default production): PUT { value, secret } sets
// it, DELETE removes it. The answer to a secret's PUT is its name and time, never the value.
import { NextResponse } from "next/server";
import { deleteEnvVar } from "@/lib/env/delete-env-var";
import { setEnvVar } from "@/lib/env/set-env-var";
import { ENV_VALUE_MAX_BYTES } from "@/lib/env/env-schemas";
import { clientAddress, readJson } from "@/lib/http/route";
import { noContent, withTenant } from "@/lib/http/with-tenant";

const environmentOf = (req: Request) => new URL(req.url).searchParams.get("environment");

export const PUT = withTenant<{ app: string; name: string }>("admin", async ({ req, actor, params }) => {
  const variable = await setEnvVar({
    actor,
    appName: params.app,
    environment: environmentOf(req),
    name: params.name,
    readInput: () => readJson(req, 4 * ENV_VALUE_MAX_BYTES),
    ip: clientAddress(req),
  });
  return NextResponse.json({ var: variable });
});

export const DELETE = withTenant<{ app: string; name: string }>("admin", async ({ req, actor, params }) => {
  await deleteEnvVar({ actor, appName: params.app, environment: environmentOf(req), name: params.name, ip: clientAddress(req) });
  return noContent();
});
