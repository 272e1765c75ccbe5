"use client";
// The app page's schedules (docs/schedules.md): those of the version on the default route, their
// next run (UTC), latest runs with status and duration, and Run now. Refreshed every few seconds
// while shown, so a Run now's outcome appears without a reload.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Button } from "@/components/ui";
import { api, ApiError } from "@/lib/client/api";
import type { ScheduledRunView, SchedulesResponse, ScheduleView } from "@/lib/client/types";

const STATUS_STYLE: Record<ScheduledRunView["status"], string> = {
  pending: "bg-slate-100 text-slate-700",
  running: "bg-sky-50 text-sky-700",
  succeeded: "bg-emerald-50 text-emerald-700",
  failed: "bg-red-50 text-red-700",
  skipped: "bg-amber-50 text-amber-800",
  missed: "bg-amber-50 text-amber-800",
};

export function SchedulesPanel({ app }: { app: string }) {
  const schedules = useQuery({
    queryKey: ["schedules", app],
    queryFn: () => api<SchedulesResponse>(`/apps/${app}/schedules`),
    refetchInterval: 3000,
  });
  if (!schedules.data || schedules.data.schedules.length === 0) return null;
  return (
    <section aria-labelledby="schedules-heading" className="rounded-xl border border-slate-200 bg-white p-6">
      <h2 id="schedules-heading" className="text-sm font-semibold text-slate-700">
        Schedules <span className="font-normal text-slate-500">(version {schedules.data.version}, times in UTC)</span>
      </h2>
      <ul className="mt-3 divide-y divide-slate-100">
        {schedules.data.schedules.map((s) => (
          <ScheduleRow key={s.key} app={app} schedule={s} />
        ))}
      </ul>
    </section>
  );
}

function ScheduleRow({ app, schedule }: { app: string; schedule: ScheduleView }) {
  const queryClient = useQueryClient();
  const runNow = useMutation({
    mutationFn: () => api(`/apps/${app}/schedules/runs`, { method: "POST", json: { key: schedule.key } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["schedules", app] }),
  });
  const label = `${schedule.method} ${schedule.path}`;
  return (
    <li className="py-3 text-sm" aria-label={`Schedule ${label}`}>
      <div className="flex flex-wrap items-center gap-3">
        <span className="font-mono text-slate-800">{label}</span>
        <span className="rounded bg-slate-100 px-2 py-0.5 font-mono text-xs text-slate-700">{schedule.cron}</span>
        <span className="text-slate-500">next run {schedule.nextRunAt ? formatTime(schedule.nextRunAt) : "never"}</span>
        <Button type="button" className="ml-auto px-3 py-1" disabled={runNow.isPending} onClick={() => runNow.mutate()} aria-label={`Run ${label} now`}>
          Run now
        </Button>
      </div>
      {runNow.error instanceof ApiError ? <Alert>{runNow.error.message}</Alert> : null}
      {schedule.lastRuns.length === 0 ? (
        <p className="mt-2 text-slate-500">No runs yet.</p>
      ) : (
        <table className="mt-2 w-full text-left text-xs">
          <caption className="sr-only">Latest runs of {label}</caption>
          <thead className="text-slate-500">
            <tr>
              <th className="py-1 font-medium">Scheduled for</th>
              <th className="py-1 font-medium">Status</th>
              <th className="py-1 font-medium">Duration</th>
              <th className="py-1 font-medium">Detail</th>
            </tr>
          </thead>
          <tbody>
            {schedule.lastRuns.map((run) => (
              <tr key={run.id} className="border-t border-slate-100">
                <td className="py-1 font-mono">
                  {formatTime(run.scheduledAt)}
                  {run.manual ? " (run now)" : ""}
                </td>
                <td className="py-1">
                  <span className={`rounded px-1.5 py-0.5 ${STATUS_STYLE[run.status]}`}>{run.status}</span>
                </td>
                <td className="py-1 font-mono">{run.durationMs === null ? "—" : `${run.durationMs.toFixed(1)} ms`}</td>
                <td className="py-1 text-slate-600">{detail(run)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </li>
  );
}

function detail(run: ScheduledRunView): string {
  if (run.status === "missed") return `${run.missedCount ?? 1} run(s) missed`;
  if (run.error) return run.httpStatus ? `${run.httpStatus}: ${run.error}` : run.error;
  return run.httpStatus ? `HTTP ${run.httpStatus}` : "";
}

/** "2026-12-04 12:05:00" in UTC, as the cron is read. */
function formatTime(iso: string): string {
  return iso.replace("T", " ").replace(/\.\d+Z$/, "").replace(/Z$/, "");
}
