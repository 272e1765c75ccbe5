import { NextResponse } from "next/server";
import { findAppMetrics } from "@/lib/metrics/find-app-metrics";
import { withTenant } from "@/lib/http/with-tenant";

export const GET = withTenant<{ app: string }>("read", async ({ req, actor, params }) =>
  NextResponse.json(await findAppMetrics({ actor, appName: params.app, query: Object.fromEntries(new URL(req.url).searchParams) })),
);
