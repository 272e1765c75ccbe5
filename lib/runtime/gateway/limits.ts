/**
 * The limits step: the app's limits (its own over the gateway's defaults, cut to the operator's
 * ceilings) and its tenant's spending cap, asked before anything of the app runs.
 */
import type { AppLimits } from "../../deployment-record/record";
import type { SpendingCapRefusal } from "../../deployment-record/ports";
import { DatabaseWaitExceeded } from "./errors";
import { failed, type AppRequest, type DatabaseWait, type GatewayDeps, type RequestContext, type Stop } from "./context";

export function effectiveLimits(defaults: AppLimits, ceilings: [keyof AppLimits, number][], own: Partial<AppLimits>): AppLimits {
  const limits: AppLimits = { ...defaults, ...own };
  for (const [key, ceiling] of ceilings) if (limits[key] > ceiling) limits[key] = ceiling;
  return limits;
}

/** The request's limits; or its end, when the tenant's spending cap refuses it (logged, never metered). */
export async function applyLimits(ctx: RequestContext, deps: GatewayDeps, app: AppRequest): Promise<AppLimits | Stop> {
  const limits = effectiveLimits(deps.defaults, deps.ceilings, app.deployment.limits);
  ctx.log.memoryLimitMb = limits.memoryMb;
  const tenantId = app.deployment.tenantId;
  if (!deps.spendingCap || !tenantId) return limits;
  let refusal: SpendingCapRefusal | null;
  try {
    refusal = await deps.withinDatabaseWait(deps.spendingCap.check(tenantId));
  } catch (error) {
    const what = "check the tenant's spending cap";
    return failed({ kind: "lookup-failed", what, internal: what, error, waitMs: deps.databaseWaitMs });
  }
  if (!refusal) return limits;
  ctx.log.billable = false;
  return failed({ kind: "spending-cap", refusal });
}

/**
 * Bounds a wait on the database: the value, or a DatabaseWaitExceeded once `ms` have passed. The
 * requests of each quarter of `ms` (at most 250 ms) share one timer, so the hot path pays no
 * timer per request, and a value already at hand is returned as it is. A waiter leaves its
 * bucket as soon as its value settles: racing each value against one shared promise instead kept
 * every request's reaction alive until that promise's timer fired (`ms` later, 5 s by default),
 * hundreds of thousands of them under load, all promoted and collected the expensive way.
 */
export function createDatabaseWait(ms: number): DatabaseWait {
  let bucket: { until: number; waiting: Set<(error: unknown) => void> } | null = null;
  const span = Math.min(250, ms / 4);
  return <T>(value: T | Promise<T>): T | Promise<T> => {
    if (!(value instanceof Promise)) return value;
    const now = performance.now();
    if (!bucket || now > bucket.until) {
      const waiting = new Set<(error: unknown) => void>();
      setTimeout(() => {
        for (const reject of waiting) reject(new DatabaseWaitExceeded());
        waiting.clear();
      }, ms).unref();
      bucket = { until: now + span, waiting };
    }
    const { waiting } = bucket;
    return new Promise<T>((resolve, reject) => {
      waiting.add(reject);
      value.then(
        (result) => {
          waiting.delete(reject);
          resolve(result);
        },
        (error: unknown) => {
          waiting.delete(reject);
          reject(error);
        },
      );
    });
  };
}
