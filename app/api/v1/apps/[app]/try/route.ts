import { NextResponse } from "next/server";
import { tryRequest } from "@/lib/apps/try-request";
import { readJson } from "@/lib/http/route";
import { withTenant } from "@/lib/http/with-tenant";

export const POST = withTenant<{ app: string }>("deploy", async ({ req, actor, params }) =>
  NextResponse.json({ response: await tryRequest({ actor, appName: params.app, input: await readJson(req, 2 * 1024 * 1024) }) }),
);
