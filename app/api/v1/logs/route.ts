import { NextResponse } from "next/server";
import { findLogs } from "@/lib/logs/find-logs";
import { LOG_SEARCH_PARAMS, parseLogQuery } from "@/lib/logs/log-query";
import { withTenant } from "@/lib/http/with-tenant";

/** Every app's lines of the tenant (the console's "All apps" view). */
export const GET = withTenant(
  "read",
  async ({ req, actor }) => NextResponse.json(await findLogs({ actor, query: parseLogQuery(new URL(req.url).searchParams) })),
  { nulAllowedIn: LOG_SEARCH_PARAMS },
);
