import { NextResponse } from "next/server";
import { findRequestLog } from "@/lib/logs/find-request-log";
import { withTenant } from "@/lib/http/with-tenant";

export const GET = withTenant<{ app: string; requestId: string }>("read", async ({ actor, params }) =>
  NextResponse.json(await findRequestLog({ actor, appName: params.app, requestId: params.requestId })),
);
