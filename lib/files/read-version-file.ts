// One file of a version: its metadata and its bytes, or only the first `maxBytes` of them (the
// console's preview reads 64 KiB of a file that may be 25 MiB, without loading the rest).
import type { Actor } from "@/lib/auth/actor";
import { blobStore } from "@/lib/blobs/blob-store";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { FileView } from "@/lib/versions/version-view";
import { findVersionOrThrow } from "./find-version-files";

export interface VersionFileBytes {
  file: FileView;
  bytes: Uint8Array;
  /** True when `bytes` holds only the first `maxBytes` of the file. */
  truncated: boolean;
}

export async function readVersionFile({
  actor,
  appName,
  version,
  path,
  maxBytes,
}: {
  actor: Pick<Actor, "tenantId">;
  appName: string;
  version: string;
  path: string;
  maxBytes?: number;
}): Promise<VersionFileBytes> {
  const { id } = await findVersionOrThrow({ actor, appName, version });
  const row = await db().versionFile.findUnique({ where: { versionId_path: { versionId: id, path } } });
  if (!row) throw new AppError("NOT_FOUND", `Version ${version} of "${appName}" has no file "${path}". List its files with GET /apps/${appName}/versions/${version}/files.`, { field: "path" });
  const file: FileView = { path: row.path, size: row.size, sha256: row.sha256, contentType: row.contentType };
  const limit = maxBytes !== undefined && maxBytes < row.size ? Math.max(0, Math.floor(maxBytes)) : null;
  const data = limit === null ? await blobStore().read(row.sha256) : await blobStore().readPrefix(row.sha256, limit);
  if (!data) throw new Error(`blob ${row.sha256} of version ${id} file ${path} is missing`);
  return { file, bytes: new Uint8Array(data), truncated: limit !== null };
}
