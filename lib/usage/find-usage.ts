// Metered usage of a tenant for one UTC calendar month: per day, per app, totals and a projection.
// The rows are written by the gateways' log sinks (lib/logs/log-sink.ts), one per tenant/app/day.
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import type { UsageSummary, UsageTotals } from "@/lib/api-shapes/usage-shapes";

export const UsageMonth = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "month: use YYYY-MM, e.g. 2025-01")
  .optional();

export type { UsageSummary, UsageTotals };

const zero = (): UsageTotals => ({ requests: 0, gbSeconds: 0, cpuMs: 0, egressBytes: 0, kvOps: 0, outboundCalls: 0, outboundBytes: 0 });

function add(
  into: UsageTotals,
  row: { requests: bigint; gbSeconds: number; cpuMs: number; egressBytes: bigint; kvOps: bigint; outboundCalls: bigint; outboundBytes: bigint },
) {
  into.requests += Number(row.requests);
  into.gbSeconds += row.gbSeconds;
  into.cpuMs += row.cpuMs;
  into.egressBytes += Number(row.egressBytes);
  into.kvOps += Number(row.kvOps);
  into.outboundCalls += Number(row.outboundCalls);
  into.outboundBytes += Number(row.outboundBytes);
}

export function currentMonth(now = new Date()): string {
  return now.toISOString().slice(0, 7);
}

export async function findUsage({ actor, month, now = new Date() }: { actor: Pick<Actor, "tenantId">; month?: string; now?: Date }): Promise<UsageSummary> {
  const m = UsageMonth.parse(month) ?? currentMonth(now);
  const [year, mon] = m.split("-").map(Number) as [number, number];
  const from = new Date(Date.UTC(year, mon - 1, 1));
  const to = new Date(Date.UTC(year, mon, 1));
  const daysInMonth = Math.round((to.getTime() - from.getTime()) / 86_400_000);
  const daysElapsed = now >= to ? daysInMonth : now < from ? 0 : Math.floor((now.getTime() - from.getTime()) / 86_400_000) + 1;

  const rows = await db().usageDaily.findMany({
    where: { tenantId: actor.tenantId, day: { gte: from, lt: to } },
    orderBy: { day: "asc" },
  });
  const appIds = [...new Set(rows.map((r) => r.appId))];
  const names = new Map(
    (await db().app.findMany({ where: { tenantId: actor.tenantId, id: { in: appIds } }, select: { id: true, name: true } })).map((a) => [a.id, a.name]),
  );

  const byDay = new Map<string, UsageTotals>();
  for (let i = 0; i < Math.max(daysElapsed, 0); i++) byDay.set(new Date(from.getTime() + i * 86_400_000).toISOString().slice(0, 10), zero());
  const byApp = new Map<string, UsageTotals>();
  const totals = zero();
  for (const row of rows) {
    const day = row.day.toISOString().slice(0, 10);
    if (!byDay.has(day)) byDay.set(day, zero());
    add(byDay.get(day)!, row);
    const app = names.get(row.appId) ?? "(deleted app)";
    if (!byApp.has(app)) byApp.set(app, zero());
    add(byApp.get(app)!, row);
    add(totals, row);
  }
  const factor = daysElapsed > 0 ? daysInMonth / daysElapsed : 0;
  const projected: UsageTotals = {
    requests: Math.round(totals.requests * factor),
    gbSeconds: totals.gbSeconds * factor,
    cpuMs: totals.cpuMs * factor,
    egressBytes: Math.round(totals.egressBytes * factor),
    kvOps: Math.round(totals.kvOps * factor),
    outboundCalls: Math.round(totals.outboundCalls * factor),
    outboundBytes: Math.round(totals.outboundBytes * factor),
  };
  return {
    month: m,
    from: from.toISOString().slice(0, 10),
    to: to.toISOString().slice(0, 10),
    daysElapsed,
    daysInMonth,
    days: [...byDay].sort(([a], [b]) => a.localeCompare(b)).map(([day, t]) => ({ day, ...t })),
    apps: [...byApp].map(([app, t]) => ({ app, ...t })).sort((a, b) => b.requests - a.requests),
    totals,
    projected,
  };
}
