// The Usage & billing page's data: the month's usage priced by our plan, and the same usage at
// AWS Lambda's and Cloudflare Workers' list prices.
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import type { BillingSummary } from "@/lib/api-shapes/usage-shapes";
import { currentMonth, findUsage } from "@/lib/usage/find-usage";
import { getPricePlan } from "./price-plan";
import { priceAsAwsLambda, priceAsCloudflareWorkers, priceWithPlan } from "./price-usage";
import { clampBillToCap, parseCapMode } from "./spending-cap";

export type { BillingSummary };

export async function findBillingSummary({ actor, month }: { actor: Pick<Actor, "tenantId">; month?: string }): Promise<BillingSummary> {
  const usage = await findUsage({ actor, month });
  const plan = getPricePlan(process.env);
  // The current cap applies to the current month; closed months are billed by their invoices.
  const tenant = usage.month === currentMonth() ? await db().tenant.findUnique({ where: { id: actor.tenantId }, select: { spendingCap: true, spendingCapMode: true } }) : null;
  const cap = tenant && tenant.spendingCap !== null ? { cap: tenant.spendingCap, mode: parseCapMode(tenant.spendingCapMode) } : null;
  return {
    usage,
    plan,
    bill: clampBillToCap(priceWithPlan(plan, usage.totals), cap),
    projectedBill: clampBillToCap(priceWithPlan(plan, usage.projected), cap),
    comparisons: [priceAsAwsLambda(usage.totals), priceAsCloudflareWorkers(usage.totals)],
  };
}
