"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { ChartCard, StatCard } from "@/components/figure-cards";
import { Alert } from "@/components/ui";
import { api } from "@/lib/client/api";
import type { AppMetrics, MetricsWindow } from "@/lib/client/types";
import { Breadcrumbs, appCrumbs } from "@/components/layout/breadcrumbs";

const WINDOWS: { value: MetricsWindow; label: string }[] = [
  { value: "1h", label: "Last hour" },
  { value: "24h", label: "Last day" },
  { value: "30d", label: "Last 30 days" },
];

const num = (x: number, digits = 0) => x.toLocaleString("en-US", { maximumFractionDigits: digits });
const ms = (x: number | null) => (x === null ? "—" : `${num(x, x < 10 ? 2 : 1)} ms`);
const pct = (x: number) => `${num(x, 2)}%`;

function tickLabel(iso: string, window: MetricsWindow): string {
  return window === "30d" ? iso.slice(5, 10) : iso.slice(11, 16);
}

export function AppMetricsView({ app }: { app: string }) {
  const [window, setWindow] = useState<MetricsWindow>("1h");
  const [version, setVersion] = useState("");
  const metrics = useQuery({
    queryKey: ["metrics", app, window, version],
    queryFn: () => api<AppMetrics>(`/apps/${encodeURIComponent(app)}/metrics?window=${window}${version ? `&version=${encodeURIComponent(version)}` : ""}`),
    refetchInterval: window === "1h" ? 10_000 : 60_000,
    placeholderData: (previous) => previous,
  });
  const data = metrics.data;

  return (
    <div className="max-w-6xl space-y-6">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <Breadcrumbs trail={appCrumbs(app)} />
          <h1 className="text-2xl font-semibold">Metrics</h1>
          <p className="mt-1 text-sm text-slate-500">What the gateways saw: every request to the app, from its access records.</p>
        </div>
        <div className="flex flex-wrap items-end gap-4">
          <div role="radiogroup" aria-label="Window" className="flex overflow-hidden rounded-md border border-slate-300 text-sm">
            {WINDOWS.map((w) => (
              <button
                key={w.value}
                type="button"
                role="radio"
                aria-checked={window === w.value}
                onClick={() => setWindow(w.value)}
                className={`px-3 py-1.5 ${window === w.value ? "bg-indigo-600 text-white" : "bg-white text-slate-700 hover:bg-slate-50"}`}
              >
                {w.label}
              </button>
            ))}
          </div>
          <label className="text-sm">
            <span className="mr-2 text-slate-600">Version</span>
            <select value={version} onChange={(e) => setVersion(e.target.value)} className="rounded-md border border-slate-300 px-2 py-1.5">
              <option value="">All versions</option>
              {(data?.versions ?? []).map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </label>
        </div>
      </header>

      {metrics.isPending ? <p className="text-sm text-slate-500">Loading…</p> : null}
      {metrics.isError ? <Alert>{metrics.error.message}</Alert> : null}
      {data ? <Metrics data={data} /> : null}
    </div>
  );
}

function Metrics({ data }: { data: AppMetrics }) {
  const { totals, window } = data;
  // Over 30 days a per-minute rate is too small to read: count per day there.
  const perDay = window === "30d";
  const series = data.series.map((b) => ({ ...b, label: tickLabel(b.time, window), rate: perDay ? b.requests : b.ratePerMinute }));
  const windowDays = (Date.parse(data.to) - Date.parse(data.from)) / 86_400_000;
  const rateUnit = perDay ? "day" : "min";
  const bucket = data.bucketSeconds === 60 ? "1-minute" : data.bucketSeconds === 900 ? "15-minute" : "1-day";
  return (
    <>
      <section aria-label="Totals" className="grid gap-4 sm:grid-cols-3 lg:grid-cols-6">
        <StatCard label="Requests" value={num(totals.requests)} testId="metrics-requests" />
        <StatCard label="Rate" value={`${num(perDay ? totals.requests / windowDays : totals.ratePerMinute, 2)}/${rateUnit}`} />
        <StatCard label="5xx errors" value={pct(totals.errorRate5xx)} hint={`${num(totals.errors5xx)} requests`} testId="metrics-5xx" />
        <StatCard label="4xx errors" value={pct(totals.errorRate4xx)} hint={`${num(totals.errors4xx)} requests`} testId="metrics-4xx" />
        <StatCard label="Latency p50" value={ms(totals.p50)} />
        <StatCard label="p95 / p99" value={`${ms(totals.p95)}`} hint={`p99 ${ms(totals.p99)}`} />
      </section>
      <p className="-mt-3 text-xs text-slate-500">
        {bucket} buckets from {data.from.replace("T", " ").slice(0, 16)} UTC{data.version ? ` · version ${data.version}` : " · all versions"}
      </p>

      <section aria-label="Charts" className="grid gap-4 lg:grid-cols-2">
        <ChartCard title={`Request rate (per ${perDay ? "day" : "minute"})`}>
          <LineChart data={series} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" minTickGap={24} />
            <YAxis tick={{ fontSize: 11 }} width={48} />
            <Tooltip labelFormatter={(_, p) => String(p?.[0]?.payload?.time ?? "")} formatter={(v) => [num(Number(v), 2), `requests/${rateUnit}`]} />
            <Line type="linear" dataKey="rate" stroke="#4f46e5" strokeWidth={2} dot={false} isAnimationActive={false} />
          </LineChart>
        </ChartCard>
        <ChartCard title="Error rate (%)">
          <LineChart data={series} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" minTickGap={24} />
            <YAxis tick={{ fontSize: 11 }} width={48} domain={[0, "auto"]} />
            <Tooltip labelFormatter={(_, p) => String(p?.[0]?.payload?.time ?? "")} formatter={(v, name) => [pct(Number(v)), name]} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Line name="5xx" type="linear" dataKey="errorRate5xx" stroke="#dc2626" strokeWidth={2} dot={false} isAnimationActive={false} />
            <Line name="4xx" type="linear" dataKey="errorRate4xx" stroke="#b45309" strokeWidth={2} dot={false} isAnimationActive={false} />
          </LineChart>
        </ChartCard>
        <ChartCard title="Latency (ms)">
          <LineChart data={series} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" minTickGap={24} />
            <YAxis tick={{ fontSize: 11 }} width={48} />
            <Tooltip labelFormatter={(_, p) => String(p?.[0]?.payload?.time ?? "")} formatter={(v, name) => [ms(v === null ? null : Number(v)), name]} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Line name="p50" type="linear" dataKey="p50" dot={{ r: 2 }} stroke="#0369a1" strokeWidth={2} connectNulls isAnimationActive={false} />
            <Line name="p95" type="linear" dataKey="p95" dot={{ r: 2 }} stroke="#4338ca" strokeWidth={2} connectNulls isAnimationActive={false} />
            <Line name="p99" type="linear" dataKey="p99" dot={{ r: 2 }} stroke="#7e22ce" strokeWidth={2} connectNulls isAnimationActive={false} />
          </LineChart>
        </ChartCard>
        <ChartCard title="Status codes">
          <BarChart data={series} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" minTickGap={24} />
            <YAxis tick={{ fontSize: 11 }} width={48} allowDecimals={false} />
            <Tooltip labelFormatter={(_, p) => String(p?.[0]?.payload?.time ?? "")} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar name="2xx" dataKey="s2xx" stackId="s" fill="#16a34a" isAnimationActive={false} />
            <Bar name="3xx" dataKey="s3xx" stackId="s" fill="#0ea5e9" isAnimationActive={false} />
            <Bar name="4xx" dataKey="errors4xx" stackId="s" fill="#f59e0b" isAnimationActive={false} />
            <Bar name="5xx" dataKey="errors5xx" stackId="s" fill="#dc2626" isAnimationActive={false} />
          </BarChart>
        </ChartCard>
      </section>

      <section aria-labelledby="status-mix" className="rounded-xl border border-slate-200 bg-white p-5">
        <h2 id="status-mix" className="text-sm font-semibold text-slate-700">
          Status-code mix
        </h2>
        {data.statuses.length === 0 ? (
          <p className="mt-2 text-sm text-slate-500">No requests in this window.</p>
        ) : (
          <ul className="mt-3 flex flex-wrap gap-2" aria-label="Status codes">
            {data.statuses.map((s) => (
              <li key={s.status} className={`rounded-md px-2.5 py-1 font-mono text-sm ${statusTone(s.status)}`}>
                {s.status} · {num(s.count)} ({pct((s.count / totals.requests) * 100)})
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="routes" className="rounded-xl border border-slate-200 bg-white p-5">
        <h2 id="routes" className="text-sm font-semibold text-slate-700">
          Routes
        </h2>
        {data.routes.length === 0 ? (
          <p className="mt-2 text-sm text-slate-500">No requests in this window.</p>
        ) : (
          <table className="mt-3 w-full text-sm" aria-label="Routes">
            <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="py-2">Route</th>
                <th className="py-2 text-right">Requests</th>
                <th className="py-2 text-right">5xx %</th>
                <th className="py-2 text-right">4xx %</th>
                <th className="py-2 text-right">p50</th>
                <th className="py-2 text-right">p95</th>
                <th className="py-2 text-right">p99</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 font-mono">
              {data.routes.map((r) => (
                <tr key={r.route}>
                  <td className="py-1.5">{r.route}</td>
                  <td className="py-1.5 text-right">{num(r.requests)}</td>
                  <td className="py-1.5 text-right">{pct(r.errorRate5xx)}</td>
                  <td className="py-1.5 text-right">{pct(r.errorRate4xx)}</td>
                  <td className="py-1.5 text-right">{ms(r.p50)}</td>
                  <td className="py-1.5 text-right">{ms(r.p95)}</td>
                  <td className="py-1.5 text-right">{ms(r.p99)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p className="mt-3 text-xs text-slate-500">
          Latency is the gateway&apos;s time from request to response. Percentiles interpolate linearly between the nearest requests (PostgreSQL percentile_cont).
        </p>
      </section>
    </>
  );
}

function statusTone(status: number): string {
  if (status >= 500) return "bg-red-50 text-red-800";
  if (status >= 400) return "bg-amber-50 text-amber-800";
  if (status >= 300) return "bg-sky-50 text-sky-800";
  return "bg-green-50 text-green-800";
}

