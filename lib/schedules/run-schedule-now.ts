// "Run now": a pending ScheduledRun that the next gateway to tick takes (scheduler.ts, takePendingRun)
// and runs through the request path like a slot, logged with this moment as its scheduled time.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { findAppOrThrow } from "@/lib/apps/find-app";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { ScheduledRunView } from "@/lib/api-shapes/schedule-shapes";
import { liveSchedules, toScheduledRunView } from "./find-schedules";

export const RunScheduleNowInput = z
  .object({
    key: z
      .string()
      .trim()
      .min(1, "Name the schedule (its key from GET /apps/{app}/schedules)")
      .max(400)
      .refine((k) => !/[\u0000-\u001f\u007f]/.test(k), "must not contain control characters"),
  })
  .strict();

export async function runScheduleNow({ actor, appName, input }: { actor: Actor; appName: string; input: unknown }): Promise<ScheduledRunView> {
  // The app first: another tenant's app is "not found" whatever the body says.
  const app = await findAppOrThrow({ actor, name: appName });
  const { key } = RunScheduleNowInput.parse(input);
  const live = await liveSchedules(app.id);
  if (!live?.schedules.some((s) => s.key === key)) {
    throw new AppError("NOT_FOUND", `The version deployed on "${appName}" has no schedule "${key}". Deploy a version that has it.`, { field: "key" });
  }
  const row = await db().scheduledRun.create({
    data: { id: randomUUID(), tenantId: actor.tenantId, appId: app.id, versionId: live.versionId, scheduleKey: key, scheduledAt: new Date(), status: "pending", manual: true },
  });
  return toScheduledRunView(row);
}
