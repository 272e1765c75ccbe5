// API routes of scheduled functions (docs/schedules.md); joined into API_ROUTES in ./api-routes.ts.
import { RunScheduleNowInput } from "@/lib/schedules/run-schedule-now";
import { ScheduledRunResponse, SchedulesResponse } from "@/lib/api-shapes/schedule-shapes";
import type { ApiRoute } from "./api-routes";

export const SCHEDULE_ROUTES: ApiRoute[] = [
  {
    method: "GET",
    path: "/apps/{app}/schedules",
    summary: "The schedules of the version on the default route: cron (UTC), method, path, the next run and the latest runs (status, duration)",
    scope: "read",
    status: 200,
    response: SchedulesResponse,
  },
  {
    method: "POST",
    path: "/apps/{app}/schedules/runs",
    summary: "Run now: queue a run of the schedule `key` (from GET …/schedules); a gateway takes it within about a second and runs it like a scheduled one",
    scope: "deploy",
    body: RunScheduleNowInput,
    status: 202,
    response: ScheduledRunResponse,
  },
];
