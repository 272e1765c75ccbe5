// Log retention: request records and log lines older than LOG_RETENTION_DAYS are deleted by every
// gateway process on a timer (deleting twice is harmless). Usage rows are kept: they are billing data.
import type { Db } from "@/lib/db/client";

const CHUNK = 5000;

/** Deletes in chunks so no statement holds locks for long; returns how many rows went. */
export async function deleteExpiredLogs({ db, retentionDays, now = new Date() }: { db: Db; retentionDays: number; now?: Date }) {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  let lines = 0;
  let records = 0;
  for (;;) {
    const n = await db.$executeRawUnsafe(
      `DELETE FROM "LogLine" WHERE id IN (SELECT id FROM "LogLine" WHERE time < $1::timestamp(3) LIMIT ${CHUNK})`,
      cutoff.toISOString(),
    );
    lines += n;
    if (n < CHUNK) break;
  }
  for (;;) {
    const n = await db.$executeRawUnsafe(
      `DELETE FROM "RequestRecord" WHERE id IN (SELECT id FROM "RequestRecord" WHERE time < $1::timestamp(3) LIMIT ${CHUNK})`,
      cutoff.toISOString(),
    );
    records += n;
    if (n < CHUNK) break;
  }
  return { lines, records };
}

/** Runs deleteExpiredLogs now and then every `everyMs` (default hourly); returns a stop function. */
export function scheduleLogRetention({ db, retentionDays, everyMs = 3_600_000, warn = console.error }: { db: Db; retentionDays: number; everyMs?: number; warn?: (m: string) => void }) {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      await deleteExpiredLogs({ db, retentionDays });
    } catch (e) {
      warn(`[log-retention] deleting logs older than ${retentionDays} days failed: ${(e as Error).message}`);
    } finally {
      running = false;
    }
  };
  // A little later than start-up, and spread so several gateways do not all delete at once.
  const first = setTimeout(run, 10_000 + Math.random() * 20_000);
  const timer = setInterval(run, everyMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
