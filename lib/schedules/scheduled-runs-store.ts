// The database side of schedules: which deployed versions have schedules, and the ScheduledRun
// rows through which gateways agree on who runs what.
//
// Claiming is an `INSERT … ON CONFLICT DO NOTHING RETURNING` on the unique (app, schedule,
// scheduledAt), not `SELECT … FOR UPDATE SKIP LOCKED`: a run's identity is known before any row
// exists (the schedule and its slot), so the insert itself is the lock, taken and released in one
// statement with no transaction held open. SKIP LOCKED would need rows created ahead for every
// slot and a transaction per claim; and on the embedded database (pglite-socket) every connection
// shares ONE session, so row locks do not keep connections apart at all, while a unique index
// does. The same statement checks that the version is still deployed on the app's default route,
// so an undeploy (or a deploy without the schedule) stops claims the moment it commits.
import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { StoredManifest } from "@/lib/deployment-record/stored-version";
import type { ScheduleEntry } from "./schedule-rules";

export interface ScheduledApp {
  tenantId: string;
  appId: string;
  versionId: string;
  tenant: string;
  app: string;
  /** When this version went live on the default route: slots before it are not its own. */
  deployedAt: Date;
  schedules: ScheduleEntry[];
}

/** Every app whose default route serves a version with schedules. */
export async function loadScheduledApps(db: Db): Promise<ScheduledApp[]> {
  const rows = await db.$queryRaw<{ tenantId: string; appId: string; versionId: string; tenant: string; app: string; deployedAt: Date; manifest: unknown }[]>`
    SELECT lr."tenantId", lr."appId", lr."versionId", t.name AS tenant, a.name AS app, lr."updatedAt" AS "deployedAt", v.manifest
    FROM "LiveRoute" lr
    JOIN "Version" v ON v.id = lr."versionId"
    JOIN "App" a ON a.id = lr."appId"
    JOIN "Tenant" t ON t.id = lr."tenantId"
    WHERE lr.route = '' AND jsonb_typeof(v.manifest->'schedules') = 'array' AND jsonb_array_length(v.manifest->'schedules') > 0`;
  return rows.flatMap((row) => {
    const manifest = StoredManifest.safeParse(row.manifest);
    if (!manifest.success) return [];
    const { manifest: _, ...app } = row;
    return [{ ...app, schedules: manifest.data.schedules }];
  });
}

/** The latest slot recorded for a schedule (run, failed, missed…), Run now aside. */
export async function lastRecordedSlot(db: Db, appId: string, scheduleKey: string): Promise<Date | null> {
  const row = await db.scheduledRun.findFirst({
    where: { appId, scheduleKey, manual: false },
    orderBy: { scheduledAt: "desc" },
    select: { scheduledAt: true },
  });
  return row?.scheduledAt ?? null;
}

/** Claims one slot for this gateway: the run's id, or null when another gateway has it or the version is no longer live. */
export async function claimRun(
  db: Db,
  input: { app: ScheduledApp; scheduleKey: string; scheduledAt: Date; gatewayId: string; leaseUntil: Date },
): Promise<string | null> {
  const id = randomUUID();
  const rows = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO "ScheduledRun" (id, "tenantId", "appId", "versionId", "scheduleKey", "scheduledAt", status, "claimedBy", "claimedAt", "leaseUntil")
    SELECT ${id}::uuid, lr."tenantId", lr."appId", lr."versionId", ${input.scheduleKey}, ${input.scheduledAt}, 'running', ${input.gatewayId}, now(), ${input.leaseUntil}
    FROM "LiveRoute" lr
    WHERE lr."appId" = ${input.app.appId}::uuid AND lr.route = '' AND lr."versionId" = ${input.app.versionId}::uuid
    ON CONFLICT ("appId", "scheduleKey", "scheduledAt") DO NOTHING
    RETURNING id`;
  return rows[0]?.id ?? null;
}

/** Records a gap of slots no gateway ran; a second gateway recording the same gap does nothing. */
export async function recordMissed(db: Db, input: { app: ScheduledApp; scheduleKey: string; first: Date; last: Date; count: number }): Promise<void> {
  await db.$executeRaw`
    INSERT INTO "ScheduledRun" (id, "tenantId", "appId", "versionId", "scheduleKey", "scheduledAt", status, "missedFrom", "missedCount", "finishedAt", error)
    VALUES (${randomUUID()}::uuid, ${input.app.tenantId}::uuid, ${input.app.appId}::uuid, ${input.app.versionId}::uuid, ${input.scheduleKey}, ${input.last}, 'missed',
            ${input.first}, ${input.count}, now(), ${`${input.count} run${input.count === 1 ? "" : "s"} passed while no gateway was running schedules`})
    ON CONFLICT ("appId", "scheduleKey", "scheduledAt") DO NOTHING`;
}

export type FinishedStatus = "succeeded" | "failed" | "skipped";

/**
 * Writes a run's outcome. Only the gateway that claimed it writes one, so it may also correct a
 * "stopped before it finished" written when an overloaded gateway outlived its lease.
 */
export async function finishRun(
  db: Db,
  id: string,
  gatewayId: string,
  outcome: { status: FinishedStatus; durationMs: number; httpStatus: number | null; requestId: string | null; error: string | null },
): Promise<void> {
  await db.scheduledRun.updateMany({
    where: { id, claimedBy: gatewayId, status: { in: ["running", "failed"] } },
    data: { ...outcome, finishedAt: new Date(), leaseUntil: null },
  });
}

/**
 * Runs whose gateway stopped before recording an outcome: past their lease they are failed, so a
 * run never vanishes (the guest may or may not have run: the record says so).
 */
export async function expireLeases(db: Db, now: Date): Promise<number> {
  return db.$executeRaw`
    UPDATE "ScheduledRun"
    SET status = 'failed', "finishedAt" = "leaseUntil", "leaseUntil" = NULL,
        error = 'The gateway running it stopped before it finished (' || coalesce("claimedBy", 'unknown') || '); it may or may not have run.'
    WHERE status = 'running' AND "leaseUntil" < ${now}`;
}

/**
 * A Run now request waiting for a gateway, taken by this one: compare-and-set on the status, so of
 * several gateways reading the same pending row exactly one gets it.
 */
export async function takePendingRun(db: Db, gatewayId: string, leaseUntil: Date): Promise<{ id: string; appId: string; scheduleKey: string; scheduledAt: Date } | null> {
  const pending = await db.scheduledRun.findMany({ where: { status: "pending" }, orderBy: { claimedAt: "asc" }, take: 5, select: { id: true, appId: true, scheduleKey: true, scheduledAt: true } });
  for (const run of pending) {
    const { count } = await db.scheduledRun.updateMany({ where: { id: run.id, status: "pending" }, data: { status: "running", claimedBy: gatewayId, leaseUntil } });
    if (count === 1) return run;
  }
  return null;
}
