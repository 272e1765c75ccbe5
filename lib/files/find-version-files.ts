// A version's files (path, size, content type, sha256), scoped to the acting tenant: another
// tenant's app or version is "not found", like one that does not exist.
import type { Actor } from "@/lib/auth/actor";
import { findAppOrThrow } from "@/lib/apps/find-app";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { FileView } from "@/lib/versions/version-view";

export async function findVersionOrThrow({ actor, appName, version }: { actor: Pick<Actor, "tenantId">; appName: string; version: string }) {
  const app = await findAppOrThrow({ actor, name: appName });
  const row = await db().version.findUnique({ where: { appId_version: { appId: app.id, version } }, select: { id: true } });
  if (!row) throw new AppError("NOT_FOUND", `Version ${version} of "${appName}" not found. List versions with \`wasmcompute versions\`.`, { field: "version" });
  return row;
}

export async function findVersionFiles({ actor, appName, version }: { actor: Pick<Actor, "tenantId">; appName: string; version: string }): Promise<FileView[]> {
  const { id } = await findVersionOrThrow({ actor, appName, version });
  const files = await db().versionFile.findMany({ where: { versionId: id }, orderBy: { path: "asc" } });
  return files.map(({ path, size, sha256, contentType }) => ({ path, size, sha256, contentType }));
}
