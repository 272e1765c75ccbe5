"use client";
// The figure cards of the usage and metrics pages: one number with its label, and one chart.
import type { ReactElement } from "react";
import { ResponsiveContainer } from "recharts";

export function StatCard({ label, value, hint, testId, strong }: { label: string; value: string; hint?: string; testId?: string; strong?: boolean }) {
  return (
    <div className={`rounded-xl border p-4 ${strong ? "border-indigo-200 bg-indigo-50 [&_.text-slate-500]:text-slate-600" : "border-slate-200 bg-white"}`}>
      <p className="text-xs text-slate-500">{label}</p>
      {/* A six-card row (metrics) needs the smaller size at its widths; wider rows get the larger one. */}
      <p className="mt-1 font-mono text-lg font-semibold xl:text-xl" data-testid={testId}>
        {value}
      </p>
      {hint ? <p className="mt-0.5 text-xs text-slate-500">{hint}</p> : null}
    </div>
  );
}

export function ChartCard({ title, children }: { title: string; children: ReactElement }) {
  return (
    <figure className="rounded-xl border border-slate-200 bg-white p-4" aria-label={title}>
      <figcaption className="mb-2 text-sm font-semibold text-slate-700">{title}</figcaption>
      <div className="h-56">
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
