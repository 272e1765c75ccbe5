// The API's and the console's view of a version: its shape is lib/api-shapes/version-shapes.ts.
import type { VersionView } from "@/lib/api-shapes/version-shapes";
import type { Manifest } from "@/lib/manifest/manifest-schema";

export type { FileView, VersionView } from "@/lib/api-shapes/version-shapes";

export function toVersionView(v: {
  version: string;
  createdAt: Date;
  moduleSha256: string;
  moduleSize: number;
  manifestSha256: string;
  filesSha256: string;
  manifest: unknown;
  tainted: boolean;
  liveRoutes?: { route: string }[];
}): VersionView {
  return {
    version: v.version,
    createdAt: v.createdAt.toISOString(),
    moduleSha256: v.moduleSha256,
    moduleSize: v.moduleSize,
    manifestSha256: v.manifestSha256,
    filesSha256: v.filesSha256,
    manifest: v.manifest as Manifest,
    tainted: v.tainted,
    live: (v.liveRoutes ?? []).map((r) => r.route),
  };
}
