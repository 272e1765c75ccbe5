"use client";

import { Fragment, useMemo, useState, type ReactNode } from "react";
import { LogText } from "@/components/logs/log-text";
import { bytesToBase64 } from "@/lib/editor/base64";

export interface ShownResponse {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
  durationMs: number;
  memoryBytes?: number;
  error?: { kind: string; message: string };
  stderr?: string;
  logs?: { level: string; message: string }[];
}

const decoder = new TextDecoder();

export const contentTypeOf = (headers: [string, string][]) => headers.find(([k]) => k.toLowerCase() === "content-type")?.[1] ?? "";

/** Status, headers, body (pretty JSON, HTML in a sandboxed iframe), logs, duration and memory. */
/** `renderHtml` shows an HTML body as a live page (the IDE preview); without it, a script-less sandboxed frame. */
export function ResponseView({ response, testId, renderHtml }: { response: ShownResponse; testId: string; renderHtml?: (html: string) => ReactNode }) {
  const [raw, setRaw] = useState(false);
  const text = useMemo(() => decoder.decode(response.body), [response.body]);
  const type = contentTypeOf(response.headers);
  const pretty = useMemo(() => {
    if (!/json/i.test(type)) return null;
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      return null;
    }
  }, [text, type]);
  const isHtml = /text\/html/i.test(type);
  const ok = response.status < 400 && !response.error;
  const logLines = [
    ...(response.logs ?? []).map((l) => `[${l.level}] ${l.message}`),
    // Split as the gateway splits stderr into log lines (a CRLF ends a line too).
    ...(response.stderr ? response.stderr.replace(/\r?\n$/, "").split(/\r?\n/).map((l) => `[stderr] ${l}`) : []),
  ];

  return (
    <div className="space-y-2 text-sm" data-testid={testId} data-body-base64={bytesToBase64(response.body)}>
      <p className="flex flex-wrap items-center gap-2">
        <span className={`rounded px-2 py-0.5 font-mono ${ok ? "bg-emerald-50 text-emerald-700" : "bg-red-50 text-red-700"}`} data-testid={`${testId}-status`}>
          {response.status}
        </span>
        <span className="text-xs text-slate-500" data-testid={`${testId}-duration`}>
          {response.durationMs.toFixed(1)} ms
        </span>
        {response.memoryBytes ? <span className="text-xs text-slate-500">· memory {(response.memoryBytes / 1024).toFixed(0)} KiB</span> : null}
        {type ? <span className="font-mono text-xs text-slate-500">· {type}</span> : null}
      </p>
      {response.error ? (
        <p role="alert" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-xs text-red-800" data-testid={`${testId}-error`}>
          <strong>{response.error.kind}</strong>: {response.error.message}
        </p>
      ) : null}
      {response.headers.length ? (
        <details className="text-xs text-slate-600">
          <summary className="cursor-pointer">Headers ({response.headers.length})</summary>
          <pre className="mt-1 whitespace-pre-wrap font-mono">{response.headers.map(([k, v]) => `${k}: ${v}`).join("\n")}</pre>
        </details>
      ) : null}
      {response.error && response.body.length === 0 ? null : isHtml && !raw && renderHtml ? (
        renderHtml(text)
      ) : isHtml && !raw ? (
        <iframe title="HTML response" sandbox="" srcDoc={text} className="h-48 w-full rounded border border-slate-200 bg-white" data-testid={`${testId}-html`} />
      ) : (
        <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-all rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100" data-testid={`${testId}-body`}>
          {pretty && !raw ? pretty : text}
        </pre>
      )}
      {pretty || isHtml ? (
        <button type="button" className="text-xs text-indigo-600 hover:underline" onClick={() => setRaw(!raw)}>
          {raw ? (isHtml ? "Render HTML" : "Pretty JSON") : "Show raw body"}
        </button>
      ) : null}
      {logLines.length ? (
        <div>
          <p className="text-xs font-semibold text-slate-500">Logs</p>
          <pre className="max-h-28 overflow-auto whitespace-pre-wrap rounded bg-slate-100 p-2 font-mono text-[11px] text-slate-700" data-testid={`${testId}-logs`}>
            {logLines.map((line, i) => (
              <Fragment key={i}>
                {i > 0 ? "\n" : null}
                <LogText text={line} />
              </Fragment>
            ))}
          </pre>
        </div>
      ) : null}
    </div>
  );
}
