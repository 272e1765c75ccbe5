// The schedules of the version on the app's default route, with their next slot and latest runs.
import { NextResponse } from "next/server";
import type { SchedulesResponse } from "@/lib/api-shapes/schedule-shapes";
import { withTenant } from "@/lib/http/with-tenant";
import { findSchedules } from "@/lib/schedules/find-schedules";

export const GET = withTenant<{ app: string }>("read", async ({ actor, params }) =>
  NextResponse.json((await findSchedules({ actor, appName: params.app })) satisfies SchedulesResponse),
);
