// The console's landing page in one read: the tenant's traffic of the last 24 hours (requests,
// errors, p99), its latest deploys, the apps that reached a limit in that time, and the month's
// metered requests so far. Each part comes from its own domain's service.
import type { Actor } from "@/lib/auth/actor";
import { findRecentDeployments, type RecentDeployment } from "@/lib/deployments/find-recent-deployments";
import { findLimitHits, type LimitHit } from "@/lib/metrics/find-limit-hits";
import { findTenantFigures } from "@/lib/metrics/find-tenant-figures";
import type { Figures } from "@/lib/metrics/find-app-metrics";
import { findUsage } from "@/lib/usage/find-usage";

export const OVERVIEW_WINDOW_MS = 24 * 3_600_000;
export const RECENT_DEPLOYS = 5;

export interface Overview {
  from: string;
  to: string;
  /** Every app's requests in [from, to). */
  traffic: Figures & { errors: number; errorRate: number };
  recentDeploys: RecentDeployment[];
  /** Apps whose requests met one of their limits in [from, to), most hits first. */
  overLimits: LimitHit[];
  /** Metered requests of the current UTC month, and where the month is heading. */
  month: { month: string; requests: number; projectedRequests: number };
}

export async function findOverview({ actor, now = new Date() }: { actor: Pick<Actor, "tenantId">; now?: Date }): Promise<Overview> {
  const from = new Date(now.getTime() - OVERVIEW_WINDOW_MS);
  // The end is exclusive: a request stamped this very millisecond is in.
  const to = new Date(now.getTime() + 1);
  const [traffic, recentDeploys, overLimits, usage] = await Promise.all([
    findTenantFigures({ actor, from, to }),
    findRecentDeployments({ actor, take: RECENT_DEPLOYS }),
    findLimitHits({ actor, from, to }),
    findUsage({ actor, now }),
  ]);
  const errors = traffic.errors4xx + traffic.errors5xx;
  return {
    from: from.toISOString(),
    to: now.toISOString(),
    traffic: { ...traffic, errors, errorRate: traffic.requests ? Math.round((errors / traffic.requests) * 100_000) / 1000 : 0 },
    recentDeploys,
    overLimits,
    month: { month: usage.month, requests: usage.totals.requests, projectedRequests: usage.projected.requests },
  };
}
