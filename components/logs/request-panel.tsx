"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { Alert } from "@/components/ui";
import { api } from "@/lib/client/api";
import type { RequestLogResponse } from "@/lib/client/types";
import { LogText } from "./log-text";
import { statusStyle } from "./status-style";

const bytes = (n: number) => (n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`);

/** One request's access record with all its lines (clicked from a request id). */
export function RequestPanel({ app, requestId, onClose }: { app: string; requestId: string; onClose: () => void }) {
  const detail = useQuery({
    queryKey: ["request-log", app, requestId],
    queryFn: () => api<RequestLogResponse>(`/apps/${app}/logs/requests/${requestId}`),
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <aside aria-label="Request details" className="fixed inset-y-0 right-0 z-20 w-[28rem] max-w-full overflow-y-auto border-l border-slate-200 bg-white p-5 text-sm shadow-2xl">
      <div className="flex items-start justify-between gap-2">
        <div>
          <h2 className="font-semibold text-slate-800">Request</h2>
          <p className="break-all font-mono text-xs text-slate-500">{requestId}</p>
        </div>
        <button type="button" onClick={onClose} aria-label="Close request details" className="rounded px-2 text-lg leading-none text-slate-500 hover:text-slate-700">
          ×
        </button>
      </div>
      {detail.isPending ? <p className="mt-3 text-slate-500">Loading…</p> : null}
      {detail.isError ? (
        <div className="mt-3">
          <Alert>{detail.error.message}</Alert>
        </div>
      ) : null}
      {detail.data ? (
        <>
          <p className="mt-3 font-mono text-sm">
            <span className="font-semibold">{detail.data.request.method}</span> <span className="break-all">{detail.data.request.path}</span>{" "}
            <span className={`font-semibold ${statusStyle(detail.data.request.status)}`} data-testid="request-status">
              {detail.data.request.status}
            </span>
          </p>
          {detail.data.request.error ? (
            <p className="mt-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-red-800">
              <span className="font-mono text-xs">{detail.data.request.errorCode}</span> {detail.data.request.error}
            </p>
          ) : null}
          <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-1.5 text-xs">
            {[
              ["Time", new Date(detail.data.request.time).toLocaleString()],
              ["Version", detail.data.request.version ?? "—"],
              ["Route", detail.data.request.route || "—"],
              ["Duration", `${detail.data.request.durationMs.toFixed(1)} ms`],
              ["Memory peak", detail.data.request.memoryBytes === null ? "—" : bytes(detail.data.request.memoryBytes)],
              ["Bytes in / out", `${bytes(detail.data.request.bytesIn)} / ${bytes(detail.data.request.bytesOut)}`],
            ].map(([k, v]) => (
              <div key={k}>
                <dt className="text-slate-500">{k}</dt>
                <dd className="font-mono text-slate-800">{v}</dd>
              </div>
            ))}
          </dl>
          <h3 className="mt-4 text-xs font-semibold uppercase tracking-wide text-slate-500">Lines ({detail.data.lines.length})</h3>
          <ol className="mt-2 space-y-1 font-mono text-xs" data-testid="request-lines">
            {detail.data.lines.map((l) => (
              <li key={l.id} className="whitespace-pre-wrap break-words rounded bg-slate-50 px-2 py-1">
                <span className="text-slate-500">{l.level}</span> <LogText text={l.message} />
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </aside>
  );
}
