"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Alert } from "@/components/ui";
import { api } from "@/lib/client/api";
import type { AppView, VersionView } from "@/lib/client/types";
import type { LogEntry, LogsResponse } from "@/lib/client/types";
import { LogText } from "./log-text";
import { RequestPanel } from "./request-panel";
import { statusStyle } from "./status-style";

const MAX_LINES = 1000;
const LEVELS = ["request", "stderr", "debug", "info", "warn", "error"] as const;
const RANGES = [
  { id: "", label: "Live (recent)" },
  { id: "15m", label: "Last 15 minutes" },
  { id: "1h", label: "Last hour" },
  { id: "24h", label: "Last 24 hours" },
  { id: "7d", label: "Last 7 days" },
] as const;

interface Filters {
  level: string;
  status: string;
  version: string;
  q: string;
  from: string;
}
const FILTER_KEYS = ["level", "status", "version", "q", "from"] as const satisfies readonly (keyof Filters)[];

/** The filters a link carries (shareable: a reload or a sent link shows the same lines). */
function filtersFrom(search: URLSearchParams): Filters {
  return Object.fromEntries(FILTER_KEYS.map((k) => [k, search.get(k) ?? ""])) as unknown as Filters;
}

const sameFilters = (a: Filters, b: Filters) => FILTER_KEYS.every((k) => a[k] === b[k]);

/** The lines' API: one app's, or every app's of the tenant ("All apps"). */
const logsPath = (app: string) => (app ? `/apps/${encodeURIComponent(app)}/logs` : "/logs");

const LEVEL_STYLE: Record<string, string> = {
  request: "bg-slate-100 text-slate-700",
  stderr: "bg-amber-50 text-amber-800",
  debug: "bg-slate-50 text-slate-500",
  info: "bg-sky-50 text-sky-700",
  warn: "bg-orange-50 text-orange-700",
  error: "bg-red-50 text-red-700",
};

function toParams(f: Filters): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v.trim()) p.set(k, v.trim());
  return p;
}

export function LogsView() {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const apps = useQuery({ queryKey: ["apps"], queryFn: () => api<{ apps: AppView[] }>("/apps").then((r) => r.apps) });
  // No app in the URL: every app of the tenant (what the sidebar's Logs opens).
  const app = search.get("app") ?? "";
  const versions = useQuery({
    queryKey: ["versions", app],
    enabled: !!app,
    queryFn: () => api<{ versions: VersionView[] }>(`/apps/${app}/versions`).then((r) => r.versions),
  });

  const [filters, setFilters] = useState<Filters>(() => filtersFrom(search));
  // Typing in a text box should not reconnect on every key.
  const [applied, setApplied] = useState<Filters>(filters);
  useEffect(() => {
    const t = setTimeout(() => setApplied((a) => (sameFilters(a, filters) ? a : filters)), 300);
    return () => clearTimeout(t);
  }, [filters]);

  // Filters ⇄ URL. `pending`: queries this view put in the URL that the router has not shown yet
  // (a replace lands a moment later, maybe after the next change); any other query (a link, back
  // and forward) is read back into the filters.
  const pending = useRef<string[]>([]);
  const searchString = search.toString();
  const latestQuery = () => pending.current.at(-1) ?? searchString;
  function writeQuery(next: string) {
    if (next === latestQuery()) return;
    pending.current.push(next);
    router.replace(next ? `${pathname}?${next}` : pathname, { scroll: false });
  }
  useEffect(() => {
    const ours = pending.current.indexOf(searchString);
    if (ours >= 0) {
      pending.current = pending.current.slice(ours + 1);
      return;
    }
    pending.current = [];
    const f = filtersFrom(new URLSearchParams(searchString));
    setFilters((old) => (sameFilters(old, f) ? old : f));
    setApplied((old) => (sameFilters(old, f) ? old : f));
  }, [searchString]);
  useEffect(() => {
    const params = new URLSearchParams(latestQuery());
    for (const k of FILTER_KEYS) {
      if (applied[k].trim()) params.set(k, applied[k].trim());
      else params.delete(k);
    }
    writeQuery(params.toString());
    // Only a change of the applied filters writes the URL; the URL's own changes are read above.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [applied]);

  const [lines, setLines] = useState<LogEntry[]>([]);
  const [older, setOlder] = useState<string | null>(null);
  const [paused, setPaused] = useState(false);
  const [state, setState] = useState<"loading" | "live" | "paused" | "reconnecting" | "error">("loading");
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<{ app: string; requestId: string } | null>(() => {
    const requestId = search.get("request");
    return requestId && app ? { app, requestId } : null;
  });
  const lastId = useRef<string | null>(null);

  const merge = useCallback((incoming: LogEntry[]) => {
    if (!incoming.length) return;
    setLines((current) => {
      const seen = new Set(current.map((l) => l.id));
      const fresh = incoming.filter((l) => !seen.has(l.id));
      return [...fresh, ...current].sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1)).slice(0, MAX_LINES);
    });
    for (const l of incoming) if (!lastId.current || BigInt(l.id) > BigInt(lastId.current)) lastId.current = l.id;
  }, []);

  // The first page whenever the app or the filters change.
  useEffect(() => {
    if (!apps.data?.length) return;
    let cancelled = false;
    setLines([]);
    setError(null);
    setState("loading");
    lastId.current = null;
    api<LogsResponse>(`${logsPath(app)}?${toParams(applied)}&limit=200`)
      .then((r) => {
        if (cancelled) return;
        merge(r.logs);
        setOlder(r.nextCursor);
        if (!lastId.current) lastId.current = "0";
        setState(paused ? "paused" : "live");
      })
      .catch((e: Error) => !cancelled && (setError(e.message), setState("error")));
    return () => {
      cancelled = true;
    };
    // `paused` only labels the state here; pausing is handled by the stream effect.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [app, applied, merge, !!apps.data?.length]);

  // The live tail: an EventSource from the last line we have; pausing closes it, resuming catches up.
  const live = state === "live" || state === "reconnecting";
  useEffect(() => {
    if (!live || paused) return;
    const params = toParams({ ...applied, from: "" });
    if (lastId.current) params.set("after", lastId.current);
    const source = new EventSource(`/api/v1${logsPath(app)}/stream?${params}`);
    source.addEventListener("log", (event) => merge([JSON.parse((event as MessageEvent<string>).data) as LogEntry]));
    source.onopen = () => setState("live");
    source.onerror = () => setState("reconnecting");
    return () => source.close();
  }, [app, applied, live, paused, merge]);

  function togglePause() {
    setPaused((p) => !p);
    setState(paused ? "live" : "paused");
  }

  async function loadOlder() {
    if (!older) return;
    const r = await api<LogsResponse>(`${logsPath(app)}?${toParams(applied)}&limit=200&before=${older}`);
    setLines((current) => [...current, ...r.logs.filter((l) => !current.some((c) => c.id === l.id))]);
    setOlder(r.nextCursor);
  }

  function pickApp(name: string) {
    const params = new URLSearchParams(latestQuery());
    if (name) params.set("app", name);
    else params.delete("app");
    params.delete("request");
    // A version belongs to one app.
    params.delete("version");
    setFilters((f) => ({ ...f, version: "" }));
    setApplied((f) => (f.version ? { ...f, version: "" } : f));
    writeQuery(params.toString());
  }

  const set = (key: keyof Filters) => (e: { target: { value: string } }) => setFilters((f) => ({ ...f, [key]: e.target.value }));
  const countLabel = useMemo(() => `${lines.length}${lines.length >= MAX_LINES ? "+" : ""} lines`, [lines.length]);

  if (apps.isPending) return <p className="text-sm text-slate-500">Loading…</p>;
  if (apps.isError) return <Alert>{apps.error.message}</Alert>;
  if (!apps.data.length) {
    return (
      <div className="max-w-3xl">
        <h1 className="text-2xl font-semibold">Logs</h1>
        <p className="mt-2 text-sm text-slate-500">
          No apps yet. <Link href="/dashboard/apps" className="text-indigo-600">Create and deploy one</Link>; every request it serves shows up here.
        </p>
      </div>
    );
  }

  return (
    <div className="space-y-4">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Logs</h1>
          <p className="mt-1 text-sm text-slate-500">
            Every request and what {app ? "the app" : "each app"} wrote to stderr or its log, live from every gateway.
          </p>
        </div>
        <div className="flex items-center gap-3">
          <span role="status" aria-live="polite" className="flex items-center gap-2 text-sm text-slate-600" data-testid="tail-state">
            <span className={`h-2 w-2 rounded-full ${state === "live" ? "animate-pulse bg-emerald-500" : state === "paused" ? "bg-slate-400" : state === "error" ? "bg-red-500" : "bg-amber-400"}`} aria-hidden />
            {state === "live" ? "Live" : state === "paused" ? "Paused" : state === "reconnecting" ? "Reconnecting…" : state === "error" ? "Error" : "Loading…"}
          </span>
          <button type="button" onClick={togglePause} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium shadow-sm hover:bg-slate-50">
            {paused ? "Resume" : "Pause"}
          </button>
        </div>
      </header>

      <form className="grid grid-cols-2 gap-3 rounded-xl border border-slate-200 bg-white p-4 text-sm md:grid-cols-6" onSubmit={(e) => e.preventDefault()} aria-label="Log filters">
        <label className="space-y-1">
          <span className="block text-xs font-medium text-slate-600">App</span>
          <select value={app} onChange={(e) => pickApp(e.target.value)} className="block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5">
            <option value="">All apps</option>
            {apps.data.map((a) => (
              <option key={a.name}>{a.name}</option>
            ))}
          </select>
        </label>
        <label className="space-y-1">
          <span className="block text-xs font-medium text-slate-600">Level</span>
          <select value={filters.level} onChange={set("level")} className="block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5">
            <option value="">All levels</option>
            {LEVELS.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        </label>
        <label className="space-y-1">
          <span className="block text-xs font-medium text-slate-600">Status</span>
          <input value={filters.status} onChange={set("status")} placeholder="5xx, 404" className="block w-full rounded-md border border-slate-300 px-2 py-1.5" />
        </label>
        <label className="space-y-1">
          <span className="block text-xs font-medium text-slate-600">Version</span>
          <select
            value={filters.version}
            onChange={set("version")}
            disabled={!app}
            title={app ? undefined : "Pick an app to filter by its versions"}
            className="block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 disabled:bg-slate-50 disabled:text-slate-500"
          >
            <option value="">All versions</option>
            {versions.data?.map((v) => (
              <option key={v.version}>{v.version}</option>
            ))}
          </select>
        </label>
        <label className="space-y-1">
          <span className="block text-xs font-medium text-slate-600">Search</span>
          <input type="search" value={filters.q} onChange={set("q")} placeholder="text in the line" className="block w-full rounded-md border border-slate-300 px-2 py-1.5" />
        </label>
        <label className="space-y-1">
          <span className="block text-xs font-medium text-slate-600">Time range</span>
          <select value={filters.from} onChange={set("from")} className="block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5">
            {RANGES.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
      </form>

      {error ? <Alert>{error}</Alert> : null}

      <div>
        <section aria-label="Log lines" className="overflow-hidden rounded-xl border border-slate-200 bg-white">
          <div className="flex items-center justify-between border-b border-slate-100 px-4 py-2 text-xs text-slate-500">
            <span>Newest first · {countLabel}</span>
            {paused ? <span>New lines wait until you resume.</span> : null}
          </div>
          {lines.length === 0 && state !== "loading" ? (
            <p className="px-4 py-10 text-center text-sm text-slate-500">No log lines match. Requests to the app appear here within a second.</p>
          ) : (
            // On phones each line is a small block: time, level, request and status, then the message below.
            <table className="w-full table-fixed font-mono text-xs max-sm:block">
              <colgroup>
                <col className="w-20" />
                <col className="w-20" />
                <col className="w-24" />
                <col className="w-12" />
                {app ? null : <col className="w-28" />}
                <col />
              </colgroup>
              <thead className="sr-only">
                <tr>
                  <th>Time</th>
                  <th>Level</th>
                  <th>Request</th>
                  <th>Status</th>
                  {app ? null : <th>App</th>}
                  <th>Message</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-50 max-sm:block">
                {lines.map((l) => (
                  <tr key={l.id} className={`align-top max-sm:flex max-sm:flex-wrap max-sm:items-baseline ${selected?.requestId === l.requestId ? "bg-indigo-50" : "hover:bg-slate-50"}`} data-testid="log-line">
                    <td className="whitespace-nowrap px-3 py-1.5 text-slate-500" title={l.time}>
                      {new Date(l.time).toLocaleTimeString([], { hour12: false })}
                    </td>
                    <td className="px-1 py-1.5">
                      <span className={`rounded px-1.5 py-0.5 ${LEVEL_STYLE[l.level] ?? ""}`}>{l.level}</span>
                    </td>
                    <td className="px-1 py-1.5">
                      <button type="button" onClick={() => (l.app ?? app) && setSelected({ app: l.app ?? app, requestId: l.requestId })} className="text-indigo-600 hover:underline" aria-label={`Request ${l.requestId}`}>
                        {l.requestId.slice(0, 8)}
                      </button>
                    </td>
                    <td className={`px-1 py-1.5 ${statusStyle(l.status)}`}>{l.status ?? ""}</td>
                    {app ? null : (
                      <td className="truncate px-1 py-1.5 text-slate-700" data-testid="log-app" title={l.app ?? "a deleted app"}>
                        {l.app ?? "—"}
                      </td>
                    )}
                    <td className="whitespace-pre-wrap break-words px-2 py-1.5 text-slate-800 max-sm:w-full max-sm:px-3 max-sm:pt-0"><LogText text={l.message} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {older ? (
            <div className="border-t border-slate-100 px-4 py-2 text-center">
              <button type="button" onClick={() => void loadOlder()} className="text-sm text-indigo-600 hover:text-indigo-500">
                Load older lines
              </button>
            </div>
          ) : null}
        </section>
        {selected ? <RequestPanel app={selected.app} requestId={selected.requestId} onClose={() => setSelected(null)} /> : null}
      </div>
    </div>
  );
}
