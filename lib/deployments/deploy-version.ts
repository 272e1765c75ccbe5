// Deploying points one route of an app at a version. The LiveRoute row is swapped in one
// statement (a request resolves it once, so it is served wholly by the old or the new version)
// and the routing epoch is bumped so every gateway drops its cache within its poll interval.
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { findAppOrThrow } from "@/lib/apps/find-app";
import type { DeploymentView } from "@/lib/apps/app-view";
import { VersionNumber } from "@/lib/versions/semver";
import { bumpRoutingEpoch } from "../db/routing-epoch";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";

/** "" is the default route; explicit ones look like `v/0.0.1` or `canary`. */
export const RouteName = z
  .string()
  .trim()
  .max(64)
  .regex(/^$|^[a-z0-9][a-z0-9.-]*(\/[a-z0-9][a-z0-9.-]*)?$/, "Route must be empty (the default) or like v/0.0.1 or canary")
  .default("");

export const DeployInput = z.object({ version: VersionNumber, route: RouteName, unsafe: z.boolean().default(false) });
export const RollbackInput = z.object({ route: RouteName, unsafe: z.boolean().default(false) });

type Version = { id: string; version: string; filesSha256: string; datastoresSha256: string };

export async function deployVersion({ actor, appName, input }: { actor: Actor; appName: string; input: unknown }): Promise<DeploymentView> {
  const { version, route, unsafe } = DeployInput.parse(input);
  const app = await findAppOrThrow({ actor, name: appName });
  const target = await db().version.findUnique({ where: { appId_version: { appId: app.id, version } } });
  if (!target) throw new AppError("NOT_FOUND", `Version ${version} of "${appName}" not found. Publish it first.`, { field: "version" });
  return switchRoute({ actor, app, route, target, unsafe, kind: "deploy" });
}

/** Puts back the version that the route served before its current deployment. */
export async function rollback({ actor, appName, input }: { actor: Actor; appName: string; input: unknown }): Promise<DeploymentView> {
  const { route, unsafe } = RollbackInput.parse(input);
  const app = await findAppOrThrow({ actor, name: appName });
  const live = await db().liveRoute.findUnique({ where: { appId_route: { appId: app.id, route } }, include: { version: true } });
  if (!live) throw new AppError("CONFLICT", `Nothing is deployed on ${describeRoute(route)} of "${appName}", so there is nothing to roll back.`);
  const current = await db().deployment.findUniqueOrThrow({ where: { id: live.deploymentId } });
  const previous = await db().deployment.findFirst({
    where: { appId: app.id, route, createdAt: { lt: current.createdAt }, versionId: { not: live.versionId } },
    orderBy: { createdAt: "desc" },
    include: { version: true },
  });
  if (!previous) throw new AppError("CONFLICT", `Version ${live.version.version} is the first one deployed on ${describeRoute(route)}; there is no earlier version to roll back to.`);
  return switchRoute({ actor, app, route, target: previous.version, unsafe, kind: "rollback" });
}

async function switchRoute({
  actor,
  app,
  route,
  target,
  unsafe,
  kind,
}: {
  actor: Actor;
  app: { id: string; name: string };
  route: string;
  target: Version;
  unsafe: boolean;
  kind: "deploy" | "rollback";
}): Promise<DeploymentView> {
  const live = await db().liveRoute.findUnique({ where: { appId_route: { appId: app.id, route } }, include: { version: true } });
  if (live && !unsafe) {
    const changed = [
      live.version.filesSha256 !== target.filesSha256 ? "static files" : null,
      live.version.datastoresSha256 !== target.datastoresSha256 ? "datastore schema" : null,
    ].filter(Boolean);
    if (changed.length) {
      throw new AppError(
        "CONFLICT",
        `Version ${target.version} has different ${changed.join(" and ")} from the live ${live.version.version}; ` +
          `${kind === "rollback" ? "rolling back" : "deploying"} across that may break running clients or data. Repeat with --unsafe (or confirm in the console) to go ahead.`,
        { field: "unsafe" },
      );
    }
  }
  const deployment = await db().$transaction(async (tx) => {
    const created = await tx.deployment.create({ data: { tenantId: actor.tenantId, appId: app.id, versionId: target.id, route, kind } });
    await tx.liveRoute.upsert({
      where: { appId_route: { appId: app.id, route } },
      create: { appId: app.id, route, tenantId: actor.tenantId, versionId: target.id, deploymentId: created.id },
      update: { versionId: target.id, deploymentId: created.id, updatedAt: new Date() },
    });
    await bumpRoutingEpoch(tx);
    return created;
  });
  await recordAuditEvent({ actor, action: kind, target: `app:${app.name}${route ? `/${route}` : ""}`, detail: { version: target.version } });
  return { id: deployment.id, version: target.version, route, kind, createdAt: deployment.createdAt.toISOString(), active: true };
}

export function describeRoute(route: string): string {
  return route ? `route "${route}"` : "the default route";
}
