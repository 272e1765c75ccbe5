// The live tail as an HTTP answer: one Server-Sent Events response for both tail routes (the
// tenant's and one app's), so their headers and query handling cannot drift apart.
import type { Actor } from "@/lib/auth/actor";
import { parseLogQuery } from "./log-query";
import { tailLogs } from "./tail-logs";

export async function logTailResponse(req: Request, actor: Pick<Actor, "tenantId">, appName?: string): Promise<Response> {
  const stream = await tailLogs({
    actor,
    appName,
    query: parseLogQuery(new URL(req.url).searchParams),
    lastEventId: req.headers.get("last-event-id"),
    signal: req.signal,
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      // nginx and similar proxies buffer responses unless told not to; a tail must arrive line by line.
      "x-accel-buffering": "no",
    },
  });
}
