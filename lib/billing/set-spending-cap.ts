// Sets or removes the tenant's monthly spending cap. The routing epoch moves in the same
// transaction, so every gateway drops its cached month-to-date figures (lib/billing/
// spending-cap-cache.ts) and a raised or removed cap lets requests through once they hear it.
import type { Actor } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { bumpRoutingEpoch } from "@/lib/db/routing-epoch";
import { AppError } from "@/lib/errors";
import { findSpendingCap } from "./find-spending-cap";
import { parseCapMode, SetSpendingCapInput, type SpendingCapState } from "./spending-cap";

export async function setSpendingCap({ actor, input }: { actor: Actor; input: unknown }): Promise<SpendingCapState> {
  const { cap, mode } = SetSpendingCapInput.parse(input);
  const before = await db().$transaction(async (tx) => {
    const previous = await tx.tenant.findUnique({ where: { id: actor.tenantId }, select: { spendingCap: true, spendingCapMode: true } });
    if (!previous) throw new AppError("NOT_FOUND", "Tenant not found.");
    await tx.tenant.update({ where: { id: actor.tenantId }, data: { spendingCap: cap, spendingCapMode: mode } });
    await bumpRoutingEpoch(tx);
    return previous;
  });
  // Invoices read the cap in force at a month's end from these events (create-invoices.ts).
  await recordAuditEvent({
    actor,
    action: "spending_cap.changed",
    target: "billing:spending-cap",
    detail: { cap, mode, previousCap: before.spendingCap, previousMode: parseCapMode(before.spendingCapMode) },
  });
  return findSpendingCap({ actor });
}
