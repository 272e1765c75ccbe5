import { NextResponse } from "next/server";
import { rollback } from "@/lib/deployments/deploy-version";
import { readJson } from "@/lib/http/route";
import { withTenant } from "@/lib/http/with-tenant";

export const POST = withTenant<{ app: string }>("deploy", async ({ req, actor, params }) => {
  const body = req.headers.get("content-length") === "0" ? {} : await readJson(req).catch(() => ({}));
  return NextResponse.json({ deployment: await rollback({ actor, appName: params.app, input: body }) }, { status: 201 });
});
