// Run now: POST { key } queues a run of one schedule that the next gateway to tick takes.
import { NextResponse } from "next/server";
import type { ScheduledRunResponse } from "@/lib/api-shapes/schedule-shapes";
import { readJson } from "@/lib/http/route";
import { withTenant } from "@/lib/http/with-tenant";
import { runScheduleNow } from "@/lib/schedules/run-schedule-now";

export const POST = withTenant<{ app: string }>("deploy", async ({ req, actor, params }) =>
  NextResponse.json({ run: await runScheduleNow({ actor, appName: params.app, input: await readJson(req) }) } satisfies ScheduledRunResponse, { status: 202 }),
);
