"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Alert, Button } from "@/components/ui";
import { api } from "@/lib/client/api";
import type { TryResponse } from "@/lib/apps/try-request";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** `live` names what is deployed (the live deployments): when it changes, an answer shown is stale and goes. */
export function TryIt({ app, live }: { app: string; live: string }) {
  const [method, setMethod] = useState<(typeof METHODS)[number]>("GET");
  const [path, setPath] = useState("/");
  const [body, setBody] = useState("");
  const send = useMutation({
    mutationFn: () =>
      api<{ response: TryResponse }>(`/apps/${app}/try`, { method: "POST", json: { method, path, body: method === "GET" ? undefined : body } }).then((r) => r.response),
  });

  // A deploy or a rollback (here or anywhere else) makes the answer shown one the app no longer gives.
  const [cleared, setCleared] = useState(false);
  const answeredFor = useRef(live);
  const { reset, data, error } = send;
  useEffect(() => {
    if (answeredFor.current === live) return;
    answeredFor.current = live;
    if (data === undefined && !error) return;
    reset();
    setCleared(true);
  }, [live, data, error, reset]);

  function submit(event: FormEvent) {
    event.preventDefault();
    answeredFor.current = live;
    setCleared(false);
    send.mutate();
  }

  const response = send.data;
  return (
    <section aria-labelledby="try-heading" className="rounded-xl border border-slate-200 bg-white p-6">
      <h2 id="try-heading" className="text-sm font-semibold text-slate-700">Try it</h2>
      <p className="mt-1 text-xs text-slate-500">Sends a request to the live deployment through the gateway.</p>
      <form onSubmit={submit} className="mt-4 flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="try-method" className="block text-xs font-medium text-slate-600">
            Method
          </label>
          <select id="try-method" value={method} onChange={(e) => setMethod(e.target.value as typeof method)} className="rounded-md border border-slate-300 bg-white px-2 py-2 text-sm">
            {METHODS.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </div>
        <div className="min-w-64 flex-1">
          <label htmlFor="try-path" className="block text-xs font-medium text-slate-600">
            Path
          </label>
          <input id="try-path" value={path} onChange={(e) => setPath(e.target.value)} className="w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm" />
        </div>
        <Button type="submit" disabled={send.isPending}>
          {send.isPending ? "Sending…" : "Send"}
        </Button>
        {method !== "GET" ? (
          <div className="w-full">
            <label htmlFor="try-body" className="block text-xs font-medium text-slate-600">
              Body
            </label>
            <textarea id="try-body" value={body} onChange={(e) => setBody(e.target.value)} rows={3} className="w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm" />
          </div>
        ) : null}
      </form>
      {send.isError ? <div className="mt-4"><Alert>{send.error.message}</Alert></div> : null}
      {cleared ? (
        <p role="status" className="mt-4 text-sm text-slate-600" data-testid="try-cleared">
          What is live changed, so the last answer was cleared. Send again to see the new one.
        </p>
      ) : null}
      {response ? (
        <div className="mt-4 space-y-2" data-testid="try-response">
          <p className="text-sm">
            <span className={`rounded px-2 py-0.5 font-mono ${response.status < 400 ? "bg-emerald-50 text-emerald-700" : "bg-red-50 text-red-700"}`} data-testid="try-status">
              {response.status}
            </span>{" "}
            <span className="text-slate-500">in {response.durationMs} ms from</span>{" "}
            <span className="font-mono text-xs text-slate-600" data-testid="try-url">{response.url}</span>
          </p>
          <details className="text-xs text-slate-600">
            <summary className="cursor-pointer">Headers</summary>
            <pre className="mt-1 font-mono">{response.headers.map(([k, v]) => `${k}: ${v}`).join("\n")}</pre>
          </details>
          <pre className="max-h-80 overflow-auto rounded-md bg-slate-900 p-4 font-mono text-sm text-slate-100" data-testid="try-body">
            {response.body}
            {response.truncated ? "\n… (truncated)" : ""}
          </pre>
        </div>
      ) : null}
    </section>
  );
}
