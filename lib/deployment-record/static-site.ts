/**
 * What a version serves from its files without running wasm (docs/manifest.md, "Static files"):
 * part of the deployment record, built from the stored manifest and file list. Isomorphic.
 */
import { contentTypeOf } from "./content-type";
import { staticMountsOf, type StaticMount } from "./static-rules";

export interface StaticFileMeta {
  sha256: string;
  size: number;
  contentType: string;
}

/** What a deployment serves statically: its mounts (longest prefix first) and its files. */
export interface StaticSite {
  mounts: StaticMount[];
  files: ReadonlyMap<string, StaticFileMeta>;
  /** The bytes of a file by its sha256. */
  read(sha256: string): Promise<Uint8Array>;
}

/** The static site of a version, or undefined when its manifest has no `static:` entries. */
export function createStaticSite(options: {
  mounts: { path: string; dir: string }[];
  files: { path: string; sha256: string; size: number; contentType: string }[];
  read(sha256: string): Promise<Uint8Array>;
}): StaticSite | undefined {
  if (options.mounts.length === 0) return undefined;
  const mounts = staticMountsOf(options.mounts);
  const files = new Map(
    options.files.map((f) => [f.path, { sha256: f.sha256, size: f.size, contentType: f.contentType || contentTypeOf(f.path) }]),
  );
  return { mounts, files, read: options.read };
}
