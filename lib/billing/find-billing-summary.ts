// The Usage & billing page's data: the month's usage priced by our plan, and the same usage at
// AWS Lambda's and Cloudflare Workers' list prices.
import type { Actor } from "@/lib/auth/actor";
import { findUsage, type UsageSummary } from "@/lib/usage/find-usage";
import { getPricePlan, type PricePlan } from "./price-plan";
import { priceAsAwsLambda, priceAsCloudflareWorkers, priceWithPlan, type Bill } from "./price-usage";

export interface BillingSummary {
  usage: UsageSummary;
  plan: PricePlan;
  /** Month to date. */
  bill: Bill;
  /** At this month's daily average until its end. */
  projectedBill: Bill;
  comparisons: Bill[];
}

export async function findBillingSummary({ actor, month }: { actor: Pick<Actor, "tenantId">; month?: string }): Promise<BillingSummary> {
  const usage = await findUsage({ actor, month });
  const plan = getPricePlan();
  return {
    usage,
    plan,
    bill: priceWithPlan(plan, usage.totals),
    projectedBill: priceWithPlan(plan, usage.projected),
    comparisons: [priceAsAwsLambda(usage.totals), priceAsCloudflareWorkers(usage.totals)],
  };
}
