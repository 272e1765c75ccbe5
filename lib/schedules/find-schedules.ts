// The console's and API's view of an app's schedules: those of the version on the default route,
// each with its next slot and latest runs. Tenant-scoped through findAppOrThrow.
import type { Actor } from "@/lib/auth/actor";
import { findAppOrThrow } from "@/lib/apps/find-app";
import { db } from "@/lib/db/client";
import { StoredManifest } from "@/lib/deployment-record/stored-version";
import { nextRun, parseCron } from "@/lib/manifest/cron";
import type { ScheduledRunView, SchedulesResponse } from "@/lib/api-shapes/schedule-shapes";
import { scheduleKey, secondSchedulesAllowed } from "./schedule-rules";

const LAST_RUNS = 5;

type RunRow = { id: string; scheduledAt: Date; status: string; manual: boolean; durationMs: number | null; httpStatus: number | null; error: string | null; missedCount: number | null; requestId: string | null };

export function toScheduledRunView(row: RunRow): ScheduledRunView {
  const { id, scheduledAt, status, manual, durationMs, httpStatus, error, missedCount, requestId } = row;
  return { id, scheduledAt: scheduledAt.toISOString(), status: status as ScheduledRunView["status"], manual, durationMs, httpStatus, error, missedCount, requestId };
}

/** The deployed version's schedules (by key) and its id, or null when nothing is on the default route. */
export async function liveSchedules(appId: string) {
  const live = await db().liveRoute.findUnique({ where: { appId_route: { appId, route: "" } }, include: { version: true } });
  if (!live) return null;
  const manifest = StoredManifest.parse(live.version.manifest);
  return { versionId: live.versionId, version: live.version.version, schedules: manifest.schedules.map((s) => ({ ...s, key: scheduleKey(s) })) };
}

export async function findSchedules({ actor, appName, now = new Date() }: { actor: Actor; appName: string; now?: Date }): Promise<SchedulesResponse> {
  const app = await findAppOrThrow({ actor, name: appName });
  const live = await liveSchedules(app.id);
  if (!live) return { version: null, schedules: [] };
  const schedules = await Promise.all(
    live.schedules.map(async (s) => {
      const rows = await db().scheduledRun.findMany({ where: { appId: app.id, scheduleKey: s.key }, orderBy: { claimedAt: "desc" }, take: LAST_RUNS });
      let nextRunAt: string | null = null;
      try {
        nextRunAt = nextRun(parseCron(s.cron, { allowSeconds: secondSchedulesAllowed(process.env) }), now)?.toISOString() ?? null;
      } catch {
        // Published under rules the platform no longer allows: the gateways skip it.
      }
      return { key: s.key, cron: s.cron, method: s.method, path: s.path, nextRunAt, lastRuns: rows.map(toScheduledRunView) };
    }),
  );
  return { version: live.version, schedules };
}
