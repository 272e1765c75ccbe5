import { LOG_SEARCH_PARAMS, parseLogQuery } from "@/lib/logs/log-query";
import { tailLogs } from "@/lib/logs/tail-logs";
import { withTenant } from "@/lib/http/with-tenant";

export const dynamic = "force-dynamic";

/** The live tail of every app of the tenant. */
export const GET = withTenant("read", async ({ req, actor }) => {
  const stream = await tailLogs({
    actor,
    query: parseLogQuery(new URL(req.url).searchParams),
    lastEventId: req.headers.get("last-event-id"),
    signal: req.signal,
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}, { nulAllowedIn: LOG_SEARCH_PARAMS });
