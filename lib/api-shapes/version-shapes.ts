// A published version and its static files, as the REST API answers them (docs/api.md).
import { z } from "zod";
import type { Manifest } from "../manifest/manifest-schema";
import { Timestamp } from "./timestamp";

/** The resolved manifest stored with a version (docs/manifest.md; validated at publish). */
const StoredManifest = z.looseObject({}) as unknown as z.ZodType<Manifest>;

export const FileView = z.looseObject({
  path: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  contentType: z.string(),
});
export type FileView = z.infer<typeof FileView>;

export const VersionView = z.looseObject({
  version: z.string(),
  createdAt: Timestamp,
  moduleSha256: z.string(),
  moduleSize: z.number().int(),
  manifestSha256: z.string(),
  filesSha256: z.string(),
  manifest: StoredManifest,
  tainted: z.boolean(),
  /** The routes serving this version now. */
  live: z.array(z.string()),
});
export type VersionView = z.infer<typeof VersionView>;

/** GET /apps/{app}/versions/{version}: the version with its files. */
export const VersionWithFilesView = VersionView.extend({ files: z.array(FileView) });
export type VersionWithFilesView = z.infer<typeof VersionWithFilesView>;

export const VersionsResponse = z.object({ versions: z.array(VersionView) });
export const VersionResponse = z.object({ version: VersionView });
export const VersionWithFilesResponse = z.object({ version: VersionWithFilesView });
export const FilesResponse = z.object({ files: z.array(FileView) });
