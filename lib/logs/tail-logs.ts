// The live tail: Server-Sent Events fed by polling the database by line id. Polling (not
// LISTEN/NOTIFY) works across any number of gateway processes and on the embedded database.
//
// Ids are taken when a gateway's batch is inserted but become visible when it commits, so a line
// with a smaller id can appear after a larger one (two gateways flushing at once). Each poll
// therefore re-reads from the highest id seen LOOKBACK_MS ago and skips the ids it already sent:
// nothing is missed as long as a flush commits within LOOKBACK_MS (they take milliseconds).
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { filterConditions, SELECT_LINES, toEntry, type LogQuery, type LogRow } from "./log-query";
import { resolveLogScope } from "./log-scope";

const POLL_MS = 400;
const LOOKBACK_MS = 3000;
const HEARTBEAT_MS = 15_000;
const PAGE = 500;

export async function tailLogs(options: {
  actor: Pick<Actor, "tenantId">;
  /** Absent: every app of the tenant. */
  appName?: string;
  query: LogQuery;
  /** Resume after this line id (the EventSource Last-Event-ID header), else start at "now". */
  lastEventId?: string | null;
  signal?: AbortSignal;
}): Promise<ReadableStream<Uint8Array>> {
  const { query } = options;
  const scope = await resolveLogScope({ actor: options.actor, appName: options.appName, version: query.version });
  const filters = filterConditions(scope, query);
  let start: bigint;
  if (options.lastEventId && /^\d{1,19}$/.test(options.lastEventId)) start = BigInt(options.lastEventId);
  else if (query.after !== undefined) start = query.after;
  else {
    const owner = scope.appId ? Prisma.sql`"appId" = ${scope.appId}::uuid` : Prisma.sql`"tenantId" = ${scope.tenantId}::uuid`;
    // Access lines are not stored: their ids are their records' lineId (lib/logs/access-line.ts).
    const rows = await db().$queryRaw<{ max: bigint | null }[]>`SELECT greatest(
      (SELECT max(id) FROM "LogLine" WHERE ${owner}), (SELECT max("lineId") FROM "RequestRecord" WHERE ${owner})) AS max`;
    start = rows[0]?.max ?? 0n;
  }

  const encoder = new TextEncoder();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  return new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        if (stopped) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      const stop = () => {
        if (stopped) return;
        stopped = true;
        clearTimeout(timer);
        try {
          controller.close();
        } catch {
          // already closed by the consumer
        }
      };
      options.signal?.addEventListener("abort", stop, { once: true });

      // (time of a poll, highest id seen by then); the floor is the newest entry older than LOOKBACK_MS.
      const marks: { at: number; max: bigint }[] = [{ at: Date.now(), max: start }];
      let floor = start;
      let maxSeen = start;
      const sent = new Set<bigint>();
      let lastWrite = Date.now();

      send(`retry: 2000\n: tail of ${options.appName ?? "every app"} from line ${start}\n\n`);

      const poll = async () => {
        if (stopped) return;
        try {
          let from = floor;
          for (;;) {
            const rows = await db().$queryRaw<LogRow[]>`${SELECT_LINES}
              WHERE ${Prisma.join([...filters, Prisma.sql`l.id > ${from}`], " AND ")} ORDER BY l.id ASC LIMIT ${PAGE}`;
            let out = "";
            for (const row of rows) {
              if (sent.has(row.id) || row.id <= start) continue;
              sent.add(row.id);
              if (row.id > maxSeen) maxSeen = row.id;
              out += `id: ${row.id}\nevent: log\ndata: ${JSON.stringify(toEntry(row))}\n\n`;
            }
            if (out) {
              send(out);
              lastWrite = Date.now();
            }
            if (rows.length < PAGE || stopped) break;
            from = rows.at(-1)!.id;
          }
          const now = Date.now();
          marks.push({ at: now, max: maxSeen });
          while (marks.length > 1 && now - marks[1]!.at >= LOOKBACK_MS) marks.shift();
          if (now - marks[0]!.at >= LOOKBACK_MS) floor = marks[0]!.max;
          for (const id of sent) if (id <= floor) sent.delete(id);
          if (now - lastWrite > HEARTBEAT_MS) {
            send(": keep-alive\n\n");
            lastWrite = now;
          }
        } catch (e) {
          send(`event: error\ndata: ${JSON.stringify({ message: "Reading the logs failed; retrying." })}\n\n`);
          console.error("log tail poll failed", e);
        }
        if (!stopped) timer = setTimeout(poll, POLL_MS);
      };
      void poll();
    },
    cancel() {
      stopped = true;
      clearTimeout(timer);
    },
  });
}
