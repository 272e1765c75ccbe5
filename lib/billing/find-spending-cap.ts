// The tenant's spending cap and how far this month's bill has gone towards it (console banner,
// Usage & billing page, GET /billing).
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { currentMonth, findUsage } from "@/lib/usage/find-usage";
import { getPricePlan } from "./price-plan";
import { priceWithPlan } from "./price-usage";
import { parseCapMode, spendingCapState, type SpendingCapState } from "./spending-cap";

export async function findSpendingCap({
  actor,
  now = new Date(),
  onlyIfCapped = false,
}: {
  actor: Pick<Actor, "tenantId">;
  now?: Date;
  /** Skip reading the month's usage when there is no cap (spent reads 0): the banner asks on every page. */
  onlyIfCapped?: boolean;
}): Promise<SpendingCapState> {
  const tenant = await db().tenant.findUnique({ where: { id: actor.tenantId }, select: { spendingCap: true, spendingCapMode: true } });
  if (!tenant) throw new AppError("NOT_FOUND", "Tenant not found.");
  const plan = getPricePlan(process.env);
  const month = currentMonth(now);
  const spent = tenant.spendingCap === null && onlyIfCapped ? 0 : priceWithPlan(plan, (await findUsage({ actor, month, now })).totals).total;
  return spendingCapState({ cap: tenant.spendingCap, mode: parseCapMode(tenant.spendingCapMode), spent, currency: plan.currency, month });
}
