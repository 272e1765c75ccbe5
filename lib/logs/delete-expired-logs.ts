// Log retention: request records and log lines older than LOG_RETENTION_DAYS are deleted by every
// gateway process on a timer (deleting twice is harmless). Usage rows are kept: they are billing data.
import type { Db } from "@/lib/db/client";

const CHUNK = 5000;

/**
 * Up to `chunk` expired request records. RequestRecord has no index on time alone (every index
 * costs each request's insert, and this runs hourly): its ("tenantId", time) index finds them one
 * tenant at a time, the tenants being that index's distinct first column, walked one descent each
 * (a loose index scan, which PostgreSQL does not do by itself before version 18).
 */
const expiredRecords = (chunk: number) => `
WITH RECURSIVE tenants AS (
  (SELECT "tenantId" FROM "RequestRecord" ORDER BY "tenantId" LIMIT 1)
  UNION ALL
  SELECT (SELECT r."tenantId" FROM "RequestRecord" r WHERE r."tenantId" > t."tenantId" ORDER BY r."tenantId" LIMIT 1)
  FROM tenants t WHERE t."tenantId" IS NOT NULL
)
SELECT e.id FROM tenants t CROSS JOIN LATERAL (
  SELECT id FROM "RequestRecord" WHERE "tenantId" = t."tenantId" AND time < $1::timestamp(3) LIMIT ${chunk}
) e LIMIT ${chunk}`;

/** Deletes in chunks (`chunk` rows) so no statement holds locks for long; returns how many rows went. */
export async function deleteExpiredLogs({ db, retentionDays, now = new Date(), chunk = CHUNK }: { db: Db; retentionDays: number; now?: Date; chunk?: number }) {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  let lines = 0;
  let records = 0;
  for (;;) {
    const n = await db.$executeRawUnsafe(
      `DELETE FROM "LogLine" WHERE id IN (SELECT id FROM "LogLine" WHERE time < $1::timestamp(3) LIMIT ${chunk})`,
      cutoff.toISOString(),
    );
    lines += n;
    if (n < chunk) break;
  }
  for (;;) {
    const n = await db.$executeRawUnsafe(`DELETE FROM "RequestRecord" WHERE id IN (${expiredRecords(chunk)})`, cutoff.toISOString());
    records += n;
    if (n < chunk) break;
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
