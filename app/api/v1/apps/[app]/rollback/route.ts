import { NextResponse } from "next/server";
import { rollback } from "@/lib/deployments/deploy-version";
import { AppError } from "@/lib/errors";
import { readJson } from "@/lib/http/route";
import { withTenant } from "@/lib/http/with-tenant";

export const POST = withTenant<{ app: string }>("deploy", async ({ req, actor, params }) => {
  // No body or not JSON: roll back the default route. A body over the limit is still a 413.
  const body =
    req.headers.get("content-length") === "0"
      ? {}
      : await readJson(req).catch((e: unknown) => {
          if (e instanceof AppError && e.code === "PAYLOAD_TOO_LARGE") throw e;
          return {};
        });
  return NextResponse.json({ deployment: await rollback({ actor, appName: params.app, input: body }) }, { status: 201 });
});
