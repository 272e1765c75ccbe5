"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { ChartCard, StatCard } from "@/components/figure-cards";
import { Alert } from "@/components/ui";
import { api } from "@/lib/client/api";
import type { Bill, BillingSummary } from "@/lib/client/types";
import { InvoiceList } from "./invoice-list";
import { SpendingCapForm } from "./spending-cap-form";

const money = (x: number, currency = "USD") =>
  x.toLocaleString("en-US", { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: x !== 0 && Math.abs(x) < 0.01 ? 10 : 2 });
const num = (x: number, digits = 0) => x.toLocaleString("en-US", { maximumFractionDigits: digits });
const gb = (bytes: number) => bytes / 1024 ** 3;
const bytes = (n: number) => (n < 1024 ** 2 ? `${num(n / 1024, 1)} KiB` : n < 1024 ** 3 ? `${num(n / 1024 ** 2, 1)} MiB` : `${num(gb(n), 2)} GiB`);

export function UsageView() {
  const [month, setMonth] = useState(() => new Date().toISOString().slice(0, 7));
  const summary = useQuery({ queryKey: ["usage", month], queryFn: () => api<BillingSummary>(`/usage?month=${month}`), refetchInterval: 30_000 });

  return (
    <div className="max-w-6xl space-y-6">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Usage &amp; billing</h1>
          <p className="mt-1 text-sm text-slate-500">Metered by the gateways per app and UTC day: requests, GB-seconds, egress, KV operations, outbound HTTP calls.</p>
        </div>
        <label className="text-sm">
          <span className="mr-2 text-slate-600">Month</span>
          <input type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} className="rounded-md border border-slate-300 px-2 py-1.5" />
        </label>
      </header>

      {summary.isPending ? <p className="text-sm text-slate-500">Loading…</p> : null}
      {summary.isError ? <Alert>{summary.error.message}</Alert> : null}
      {summary.data ? <Summary data={summary.data} /> : null}
      <SpendingCapForm />
      <InvoiceList />
    </div>
  );
}

function Summary({ data }: { data: BillingSummary }) {
  const { usage, bill, projectedBill, comparisons } = data;
  const current = usage.daysElapsed < usage.daysInMonth;
  const chartDays = usage.days.map((d) => ({ ...d, label: d.day.slice(8), gbSeconds: Math.round(d.gbSeconds * 1000) / 1000 }));
  return (
    <>
      <section aria-label="Month to date" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
        <StatCard label={current ? "Cost, month to date" : "Cost for the month"} value={money(bill.total, bill.currency)} testId="cost-mtd" strong />
        <StatCard label="Projected month end" value={current ? money(projectedBill.total, projectedBill.currency) : "—"} hint={current ? `at the average of ${usage.daysElapsed} day${usage.daysElapsed === 1 ? "" : "s"}` : "month closed"} />
        <StatCard label="Requests" value={num(usage.totals.requests)} testId="usage-requests" />
        <StatCard label="Compute" value={`${num(usage.totals.gbSeconds, 3)} GB-s`} />
        <StatCard label="Egress" value={bytes(usage.totals.egressBytes)} />
      </section>

      <section aria-label="Daily usage" className="grid gap-4 lg:grid-cols-2">
        <ChartCard title="Requests per day">
          <BarChart data={chartDays} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" />
            <YAxis tick={{ fontSize: 11 }} width={48} allowDecimals={false} />
            <Tooltip labelFormatter={(_, p) => String(p?.[0]?.payload?.day ?? "")} formatter={(v) => [num(Number(v)), "requests"]} />
            <Bar dataKey="requests" fill="#4f46e5" radius={[3, 3, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ChartCard>
        <ChartCard title="GB-seconds per day">
          <BarChart data={chartDays} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" />
            <YAxis tick={{ fontSize: 11 }} width={48} />
            <Tooltip labelFormatter={(_, p) => String(p?.[0]?.payload?.day ?? "")} formatter={(v) => [num(Number(v), 3), "GB-s"]} />
            <Bar dataKey="gbSeconds" fill="#0ea5e9" radius={[3, 3, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ChartCard>
      </section>

      <section aria-labelledby="breakdown" className="rounded-xl border border-slate-200 bg-white p-5">
        <h2 id="breakdown" className="text-sm font-semibold text-slate-700">
          Breakdown · plan “{bill.plan}”
        </h2>
        <BillTable bill={bill} />
      </section>

      <section aria-labelledby="compare" className="rounded-xl border border-slate-200 bg-white p-5">
        <h2 id="compare" className="text-sm font-semibold text-slate-700">The same usage elsewhere</h2>
        <p className="mt-1 text-xs text-slate-500">This month&apos;s usage priced at public list prices, free tiers applied. Formulas below each figure.</p>
        <table className="mt-4 w-full text-sm" aria-label="Price comparison">
          <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-2 pr-4">Provider</th>
              <th className="py-2 pr-4">Plan</th>
              <th className="py-2 pr-4 text-right">Month to date</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {[bill, ...comparisons].map((b) => (
              <tr key={b.provider}>
                <td className="py-2 pr-4 font-medium">{b.provider}</td>
                <td className="py-2 pr-4 text-slate-600">{b.plan}</td>
                <td className="py-2 pr-4 text-right font-mono" data-testid={`total-${b.provider}`}>
                  {money(b.total, b.currency)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="mt-5 grid gap-4 lg:grid-cols-2">
          {comparisons.map((b) => (
            <div key={b.provider} className="rounded-lg border border-slate-100 bg-slate-50 p-4">
              <h3 className="text-sm font-semibold">{b.provider}</h3>
              <BillTable bill={b} compact />
              <ul className="mt-2 list-disc space-y-1 pl-4 text-xs text-slate-500">
                {b.notes.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      </section>

      <section aria-labelledby="by-app" className="rounded-xl border border-slate-200 bg-white p-5">
        <h2 id="by-app" className="text-sm font-semibold text-slate-700">By app</h2>
        {usage.apps.length === 0 ? (
          <p className="mt-2 text-sm text-slate-500">No requests metered this month.</p>
        ) : (
          <table className="mt-3 w-full text-sm">
            <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="py-2">App</th>
                <th className="py-2 text-right">Requests</th>
                <th className="py-2 text-right">GB-s</th>
                <th className="py-2 text-right">Compute ms</th>
                <th className="py-2 text-right">Egress</th>
                <th className="py-2 text-right">Outbound calls</th>
                <th className="py-2 text-right">Outbound bytes</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 font-mono">
              {usage.apps.map((a) => (
                <tr key={a.app}>
                  <td className="py-1.5 font-sans">{a.app}</td>
                  <td className="py-1.5 text-right">{num(a.requests)}</td>
                  <td className="py-1.5 text-right">{num(a.gbSeconds, 3)}</td>
                  <td className="py-1.5 text-right">{num(a.cpuMs, 1)}</td>
                  <td className="py-1.5 text-right">{bytes(a.egressBytes)}</td>
                  <td className="py-1.5 text-right">{num(a.outboundCalls)}</td>
                  <td className="py-1.5 text-right">{bytes(a.outboundBytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

    </>
  );
}


function BillTable({ bill, compact }: { bill: Bill; compact?: boolean }) {
  return (
    <table className="mt-3 w-full text-sm">
      <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
        <tr>
          <th className="py-1.5 pr-3">Item</th>
          {compact ? null : <th className="py-1.5 pr-3 text-right">Used</th>}
          {compact ? null : <th className="py-1.5 pr-3 text-right">Included</th>}
          <th className="py-1.5 pr-3">Price</th>
          <th className="py-1.5 text-right">Amount</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100 align-top">
        {bill.lines.map((l) => (
          <tr key={l.item}>
            <td className="py-1.5 pr-3">
              {l.item}
              <div className="font-mono text-[11px] text-slate-500">{l.formula}</div>
            </td>
            {compact ? null : (
              <td className="py-1.5 pr-3 text-right font-mono">
                {num(l.quantity, 3)} {l.unit}
              </td>
            )}
            {compact ? null : <td className="py-1.5 pr-3 text-right font-mono">{num(l.included, 3)}</td>}
            <td className="py-1.5 pr-3 text-slate-600">{l.price}</td>
            <td className="py-1.5 text-right font-mono">{money(l.amount, bill.currency)}</td>
          </tr>
        ))}
        <tr className="font-semibold">
          <td className="py-1.5" colSpan={compact ? 2 : 4}>
            Total
          </td>
          <td className="py-1.5 text-right font-mono">{money(bill.total, bill.currency)}</td>
        </tr>
      </tbody>
    </table>
  );
}
