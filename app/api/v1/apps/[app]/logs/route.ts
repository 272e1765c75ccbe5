import { NextResponse } from "next/server";
import { findLogs } from "@/lib/logs/find-logs";
import { LOG_SEARCH_PARAMS, parseLogQuery } from "@/lib/logs/log-query";
import { withTenant } from "@/lib/http/with-tenant";

export const GET = withTenant<{ app: string }>(
  "read",
  async ({ req, actor, params }) =>
    NextResponse.json(await findLogs({ actor, appName: params.app, query: parseLogQuery(new URL(req.url).searchParams) })),
  { nulAllowedIn: LOG_SEARCH_PARAMS },
);
