import { LOG_SEARCH_PARAMS, parseLogQuery } from "@/lib/logs/log-query";
import { tailLogs } from "@/lib/logs/tail-logs";
import { withTenant } from "@/lib/http/with-tenant";

export const dynamic = "force-dynamic";

export const GET = withTenant<{ app: string }>("read", async ({ req, actor, params }) => {
  const stream = await tailLogs({
    actor,
    appName: params.app,
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
