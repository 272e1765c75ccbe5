// An app's schedules and their runs, as the REST API answers them (docs/schedules.md, docs/api.md).
import { z } from "zod";
import { Timestamp } from "./timestamp";

export const SCHEDULED_RUN_STATUSES = ["pending", "running", "succeeded", "failed", "skipped", "missed"] as const;

/** One run of a schedule (or, for "missed", a gap of `missedCount` slots ending at `scheduledAt`). */
export const ScheduledRunView = z.object({
  id: z.string(),
  scheduledAt: Timestamp,
  status: z.enum(SCHEDULED_RUN_STATUSES),
  /** Started with Run now rather than by the clock. */
  manual: z.boolean(),
  durationMs: z.number().nullable(),
  httpStatus: z.number().nullable(),
  error: z.string().nullable(),
  missedCount: z.number().nullable(),
  /** The request's id in the logs, once it ran. */
  requestId: z.string().nullable(),
});
export type ScheduledRunView = z.infer<typeof ScheduledRunView>;

/** A schedule of the version on the app's default route. */
export const ScheduleView = z.object({
  /** Names the schedule across versions (method, path, cron): what Run now takes. */
  key: z.string(),
  cron: z.string(),
  method: z.string(),
  path: z.string(),
  /** The next slot (UTC); null when the cron names no future time. */
  nextRunAt: Timestamp.nullable(),
  /** The latest runs, newest first. */
  lastRuns: z.array(ScheduledRunView),
});
export type ScheduleView = z.infer<typeof ScheduleView>;

/** GET /apps/{app}/schedules. */
export const SchedulesResponse = z.object({ version: z.string().nullable(), schedules: z.array(ScheduleView) });
export type SchedulesResponse = z.infer<typeof SchedulesResponse>;

/** POST /apps/{app}/schedules/runs: the run, pending until a gateway takes it (within about a second). */
export const ScheduledRunResponse = z.object({ run: ScheduledRunView });
export type ScheduledRunResponse = z.infer<typeof ScheduledRunResponse>;
