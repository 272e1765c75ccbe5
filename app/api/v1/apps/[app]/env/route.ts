// An app's environment variables in one environment (?environment=production|preview, default
// production). Secrets appear as { name, secret: true, updatedAt } only.
import { NextResponse } from "next/server";
import { listEnvVars } from "@/lib/env/list-env-vars";
import { withTenant } from "@/lib/http/with-tenant";

export const GET = withTenant<{ app: string }>("read", async ({ req, actor, params }) => {
  const environment = new URL(req.url).searchParams.get("environment");
  return NextResponse.json(await listEnvVars({ actor, appName: params.app, environment }));
});
