import { AppError } from "@/lib/errors";
import { db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { findAppOrThrow } from "@/lib/apps/find-app";
import { blobStore, readBlobOrThrow } from "@/lib/blobs/blob-store";
import { toVersionView, type FileView, type VersionView } from "./version-view";

export async function findVersions({ actor, appName }: { actor: Actor; appName: string }): Promise<VersionView[]> {
  const app = await findAppOrThrow({ actor, name: appName });
  const versions = await db().version.findMany({ where: { appId: app.id }, orderBy: { createdAt: "desc" }, include: { liveRoutes: { select: { route: true } } } });
  return versions.map(toVersionView);
}

async function findVersionRow(actor: Actor, appName: string, version: string) {
  const app = await findAppOrThrow({ actor, name: appName });
  const row = await db().version.findUnique({
    where: { appId_version: { appId: app.id, version } },
    include: { liveRoutes: { select: { route: true } }, files: { orderBy: { path: "asc" } } },
  });
  if (!row) throw new AppError("NOT_FOUND", `Version ${version} of "${appName}" not found. List versions with \`wasmcompute versions\`.`, { field: "version" });
  return row;
}

export async function getVersion({ actor, appName, version }: { actor: Actor; appName: string; version: string }): Promise<VersionView & { files: FileView[] }> {
  const row = await findVersionRow(actor, appName, version);
  return { ...toVersionView(row), files: row.files.map(({ path, size, sha256, contentType }) => ({ path, size, sha256, contentType })) };
}

/** The version's download: the stored module, or a component as it was uploaded (not its artifact). */
export async function readVersionModule({ actor, appName, version }: { actor: Actor; appName: string; version: string }): Promise<Uint8Array> {
  const row = await findVersionRow(actor, appName, version);
  return readBlobOrThrow(blobStore(), row.sourceSha256 ?? row.moduleSha256);
}
