// The gateway's per-tenant month-to-date cost cache behind the spending cap check. A request
// never waits on the database once its tenant is known: entries older than `maxAgeMs` (~1 s) are
// refreshed in the background while the last figures answer, and the whole cache is dropped when
// the routing epoch moves (a cap change bumps it: see set-spending-cap.ts), so a raised cap takes
// effect as soon as the gateways hear the bump (or at their next epoch poll). A failing database
// never stops serving: the last known figures stay (none: serve).
import type { Db } from "@/lib/db/client";
import type { SpendingCapCheck, SpendingCapRefusal } from "@/lib/deployment-record/ports";
import { currentMonth } from "@/lib/usage/find-usage";
import { getPricePlan, type PricePlan } from "./price-plan";
import { priceWithPlan } from "./price-usage";
import { monthEnd, monthStart, parseCapMode, spendingCapState } from "./spending-cap";

interface Entry {
  loadedAt: number;
  /** null: the tenant has no cap (or does not exist). */
  refusal: SpendingCapRefusal | null;
  /**
   * The tenant has a hard cap, so its spending must be re-read as it grows. Without one the entry
   * holds until the epoch moves (setting a cap bumps it), so uncapped tenants cost no queries.
   */
  capped: boolean;
  loading: Promise<void> | null;
  generation: number;
}

export interface SpendingCapCache extends SpendingCapCheck {
  /** Forgets every tenant's figures (the routing epoch moved). */
  clear(): void;
}

export function createSpendingCapCache(options: { db: Db; maxAgeMs?: number; plan?: PricePlan; now?: () => Date; maxTenants?: number }): SpendingCapCache {
  const { db } = options;
  const maxAgeMs = options.maxAgeMs ?? 1000;
  const plan = options.plan ?? getPricePlan(process.env);
  const now = options.now ?? (() => new Date());
  const maxTenants = options.maxTenants ?? 100_000;
  let entries = new Map<string, Entry>();
  let generation = 0;

  async function load(tenantId: string): Promise<{ refusal: SpendingCapRefusal | null; capped: boolean }> {
    const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { name: true, spendingCap: true, spendingCapMode: true } });
    if (!tenant || tenant.spendingCap === null || parseCapMode(tenant.spendingCapMode) !== "hard") return { refusal: null, capped: false };
    const month = currentMonth(now());
    const sums = await db.usageDaily.aggregate({
      where: { tenantId, day: { gte: monthStart(month), lt: monthEnd(month) } },
      _sum: { requests: true, gbSeconds: true, cpuMs: true, egressBytes: true, kvOps: true },
    });
    const s = sums._sum;
    const bill = priceWithPlan(plan, {
      requests: Number(s.requests ?? 0),
      gbSeconds: s.gbSeconds ?? 0,
      cpuMs: s.cpuMs ?? 0,
      egressBytes: Number(s.egressBytes ?? 0),
      kvOps: Number(s.kvOps ?? 0),
    });
    const state = spendingCapState({ cap: tenant.spendingCap, mode: "hard", spent: bill.total, currency: plan.currency, month });
    if (!state.blocking) return { refusal: null, capped: true };
    return {
      refusal: { tenant: tenant.name, cap: tenant.spendingCap, spent: bill.total, currency: plan.currency, month, resetsAt: monthEnd(month).toISOString() },
      capped: true,
    };
  }

  function refresh(tenantId: string, entry: Entry): Promise<void> {
    entry.loading ??= load(tenantId)
      .then(({ refusal, capped }) => {
        // A clear() while loading: these figures may predate the change, do not keep them.
        if (entry.generation !== generation) return;
        entry.refusal = refusal;
        entry.capped = capped;
        entry.loadedAt = Date.now();
      })
      .catch((error: unknown) => {
        entry.loadedAt = Date.now();
        process.stderr.write(`[spending-cap] could not read tenant ${tenantId}'s spending: ${error instanceof Error ? error.message : String(error)}\n`);
      })
      .finally(() => {
        entry.loading = null;
      });
    return entry.loading;
  }

  function stillApplies(refusal: SpendingCapRefusal | null): SpendingCapRefusal | null {
    // The month ended: the cap starts again from zero.
    return refusal && refusal.month === currentMonth(now()) ? refusal : null;
  }

  return {
    async check(tenantId) {
      let entry = entries.get(tenantId);
      if (!entry) {
        if (entries.size >= maxTenants) entries.delete(entries.keys().next().value!);
        entry = { loadedAt: 0, refusal: null, capped: true, loading: null, generation };
        entries.set(tenantId, entry);
        await refresh(tenantId, entry);
        return stillApplies(entry.refusal);
      }
      if (entry.capped && Date.now() - entry.loadedAt > maxAgeMs) void refresh(tenantId, entry);
      // While the first load of an entry runs, later requests wait for it too.
      if (entry.loadedAt === 0 && entry.loading) await entry.loading;
      return stillApplies(entry.refusal);
    },
    clear() {
      generation++;
      entries = new Map();
    },
  };
}
