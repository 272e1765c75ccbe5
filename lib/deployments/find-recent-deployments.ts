// The tenant's latest deploys and rollbacks across all its apps, newest first (the overview).
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";

export interface RecentDeployment {
  app: string;
  version: string;
  /** "" is the app's default route. */
  route: string;
  kind: string;
  createdAt: string;
  /** Still what its route serves. */
  active: boolean;
}

export async function findRecentDeployments({ actor, take = 5 }: { actor: Pick<Actor, "tenantId">; take?: number }): Promise<RecentDeployment[]> {
  const rows = await db().deployment.findMany({
    where: { tenantId: actor.tenantId },
    orderBy: { createdAt: "desc" },
    take,
    include: { app: { select: { name: true } }, version: { select: { version: true } } },
  });
  const live = await db().liveRoute.findMany({ where: { tenantId: actor.tenantId, deploymentId: { in: rows.map((r) => r.id) } }, select: { deploymentId: true } });
  const liveIds = new Set(live.map((l) => l.deploymentId));
  return rows.map((d) => ({ app: d.app.name, version: d.version.version, route: d.route, kind: d.kind, createdAt: d.createdAt.toISOString(), active: liveIds.has(d.id) }));
}
