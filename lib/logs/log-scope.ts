// The tenant (and its app, and version, when filtered by them) every log query runs inside.
import type { Actor } from "@/lib/auth/actor";
import { findAppOrThrow } from "@/lib/apps/find-app";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

export interface LogScope {
  tenantId: string;
  /** Absent: every app of the tenant. */
  appId?: string;
  versionId?: string;
}

export async function resolveLogScope({ actor, appName, version }: { actor: Pick<Actor, "tenantId">; appName?: string; version?: string }): Promise<LogScope> {
  if (appName === undefined) {
    if (version) throw new AppError("BAD_REQUEST", "Version: pick an app first; a version belongs to one app.", { field: "version" });
    return { tenantId: actor.tenantId };
  }
  const app = await findAppOrThrow({ actor, name: appName });
  let versionId: string | undefined;
  if (version) {
    const row = await db().version.findUnique({ where: { appId_version: { appId: app.id, version } }, select: { id: true } });
    if (!row) throw new AppError("NOT_FOUND", `Version ${version} of "${appName}" not found.`, { field: "version" });
    versionId = row.id;
  }
  return { tenantId: actor.tenantId, appId: app.id, versionId };
}
