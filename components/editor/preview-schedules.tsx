"use client";
// The draft's schedules (wasmcompute.yaml `schedules:`), each one click from the request the
// gateway would make on its clock: same method, path and body, and the header a scheduled run
// carries (X-Wasmcompute-Scheduled-At, "manual" as the console's Run now sends it).
import type { PreviewSchedule } from "@/lib/editor/manifest-settings";
import type { EditedRequest } from "./preview-saved-requests";

export const SCHEDULED_AT_HEADER = "X-Wasmcompute-Scheduled-At";

/** The request a run of `schedule` makes, as the preview's request panel holds it. */
export function scheduledRequest(schedule: PreviewSchedule): EditedRequest {
  const headers: [string, string][] = [[SCHEDULED_AT_HEADER, "manual"]];
  if (schedule.body !== undefined) headers.push(["Content-Type", "text/plain"]);
  return {
    method: schedule.method,
    path: schedule.path,
    query: "",
    headers,
    headerText: headers.map(([k, v]) => `${k}: ${v}`).join("\n"),
    body: schedule.body ?? "",
  };
}

export function PreviewSchedules({ schedules, disabled, onTrigger }: { schedules: PreviewSchedule[]; disabled: boolean; onTrigger(request: EditedRequest): void }) {
  if (schedules.length === 0) return null;
  return (
    <details className="text-xs" data-testid="preview-schedules">
      <summary className="cursor-pointer text-slate-600">Schedules ({schedules.length})</summary>
      <ul className="mt-1 space-y-0.5" aria-label="Schedules">
        {schedules.map((s, i) => (
          <li key={i} className="flex items-center gap-2 px-1">
            <span className="font-mono">{s.cron}</span>
            <span className="min-w-0 truncate font-mono text-slate-600">
              {s.method} {s.path}
            </span>
            <button
              type="button"
              disabled={disabled}
              onClick={() => onTrigger(scheduledRequest(s))}
              aria-label={`Trigger ${s.method} ${s.path} (${s.cron})`}
              className="ml-auto rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-50 disabled:opacity-50"
            >
              Trigger
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
