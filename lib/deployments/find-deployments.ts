import { AppError } from "@/lib/errors";
import { db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { findAppOrThrow } from "@/lib/apps/find-app";
import type { DeploymentView } from "@/lib/apps/app-view";
import { bumpRoutingEpoch } from "../db/routing-epoch";
import { describeRoute } from "./deploy-version";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";

export async function findDeployments({ actor, appName }: { actor: Actor; appName: string }): Promise<DeploymentView[]> {
  const app = await findAppOrThrow({ actor, name: appName });
  const [rows, live] = await Promise.all([
    db().deployment.findMany({ where: { appId: app.id }, orderBy: { createdAt: "desc" }, take: 200, include: { version: { select: { version: true } } } }),
    db().liveRoute.findMany({ where: { appId: app.id }, select: { deploymentId: true } }),
  ]);
  const liveIds = new Set(live.map((l) => l.deploymentId));
  return rows.map((d) => ({ id: d.id, version: d.version.version, route: d.route, kind: d.kind, createdAt: d.createdAt.toISOString(), active: liveIds.has(d.id) }));
}

/** Takes an explicit route down; the default route stays until the app is deleted. */
export async function undeployRoute({ actor, appName, route }: { actor: Actor; appName: string; route: string }): Promise<void> {
  const app = await findAppOrThrow({ actor, name: appName });
  if (!route) throw new AppError("BAD_REQUEST", "The default route cannot be taken down; deploy another version or delete the app.");
  await db().$transaction(async (tx) => {
    const { count } = await tx.liveRoute.deleteMany({ where: { appId: app.id, route } });
    if (count === 0) throw new AppError("NOT_FOUND", `Nothing is deployed on ${describeRoute(route)} of "${appName}".`);
    await bumpRoutingEpoch(tx);
  });
  await recordAuditEvent({ actor, action: "undeploy", target: `app:${app.name}/${route}` });
}
