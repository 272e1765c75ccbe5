// Invoices are made on first need: whoever lists them (the billing page, the API) first creates
// every missing one of the tenant's closed UTC months since its creation that had usage (or owes
// a monthly fee). One INSERT … ON CONFLICT DO NOTHING on unique(tenantId, month) makes concurrent
// callers safe; once written an invoice never changes: it stores the plan it was priced with, so
// later PRICE_PLAN changes do not touch it.
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { currentMonth, findUsage } from "@/lib/usage/find-usage";
import type { InvoicePlan, InvoiceUsage } from "./invoice-schema";
import { getPricePlan, type PricePlan } from "./price-plan";
import { priceWithPlan } from "./price-usage";
import { clampBillToCap, monthEnd, monthStart, SPENDING_CAP_MODES, type SpendingCapMode } from "./spending-cap";

function monthsBetween(from: string, toExclusive: string): string[] {
  const out: string[] = [];
  for (let d = monthStart(from); d < monthStart(toExclusive); d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))) out.push(d.toISOString().slice(0, 7));
  return out;
}

/** The cap in force when `month` ended: the last change before its end in the audit log. */
async function capAtEndOf(tenantId: string, month: string): Promise<{ cap: number; mode: SpendingCapMode } | null> {
  const event = await db().auditEvent.findFirst({
    where: { tenantId, action: "spending_cap.changed", time: { lt: monthEnd(month) } },
    orderBy: [{ time: "desc" }, { id: "desc" }],
    select: { detail: true },
  });
  const detail = event?.detail as { cap?: unknown; mode?: unknown } | null | undefined;
  if (!detail || typeof detail.cap !== "number") return null;
  const mode = SPENDING_CAP_MODES.find((m) => m === detail.mode) ?? "hard";
  return { cap: detail.cap, mode };
}

/** The invoice of one closed month, priced now with `plan`. */
export async function priceInvoice({ tenantId, month, plan, now }: { tenantId: string; month: string; plan: PricePlan; now: Date }) {
  const usage = await findUsage({ actor: { tenantId }, month, now });
  const cap = await capAtEndOf(tenantId, month);
  const bill = clampBillToCap(priceWithPlan(plan, usage.totals), cap);
  const storedUsage: InvoiceUsage = { from: usage.from, to: usage.to, totals: usage.totals, apps: usage.apps };
  const storedPlan: InvoicePlan = { ...plan, spendingCap: cap, notes: bill.notes };
  return { tenantId, month, currency: bill.currency, total: bill.total, lines: bill.lines, usage: storedUsage, plan: storedPlan };
}

export async function createMissingInvoices({ actor, now = new Date() }: { actor: Pick<Actor, "tenantId">; now?: Date }): Promise<number> {
  const tenant = await db().tenant.findUnique({ where: { id: actor.tenantId }, select: { createdAt: true } });
  if (!tenant) throw new AppError("NOT_FOUND", "Tenant not found.");
  const first = tenant.createdAt.toISOString().slice(0, 7);
  const current = currentMonth(now);
  if (first >= current) return 0;
  const plan = getPricePlan(process.env);

  let candidates: string[];
  if (plan.monthlyFee > 0) {
    candidates = monthsBetween(first, current);
  } else {
    const rows = await db().$queryRaw<{ month: string }[]>`
      SELECT DISTINCT to_char(day, 'YYYY-MM') AS month FROM "UsageDaily"
      WHERE "tenantId" = ${actor.tenantId}::uuid AND day >= ${monthStart(first).toISOString().slice(0, 10)}::date
        AND day < ${monthStart(current).toISOString().slice(0, 10)}::date
        AND (requests > 0 OR "gbSeconds" > 0 OR "egressBytes" > 0 OR "kvOps" > 0)`;
    candidates = rows.map((r) => r.month);
  }
  const existing = new Set((await db().invoice.findMany({ where: { tenantId: actor.tenantId }, select: { month: true } })).map((i) => i.month));
  const missing = candidates.filter((m) => !existing.has(m)).sort();
  if (missing.length === 0) return 0;

  const data = [];
  for (const month of missing) data.push(await priceInvoice({ tenantId: actor.tenantId, month, plan, now }));
  const created = await db().invoice.createMany({
    data: data.map((d) => ({ ...d, lines: d.lines as object[], usage: d.usage as object, plan: d.plan as object })),
    skipDuplicates: true,
  });
  return created.count;
}
