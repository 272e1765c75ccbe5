// The API's and the console's view of a version: its shape is lib/api-shapes/version-shapes.ts.
import { z } from "zod";
import type { VersionView } from "@/lib/api-shapes/version-shapes";
import type { Manifest } from "@/lib/manifest/manifest-schema";

export type { ComponentView, FileView, VersionView } from "@/lib/api-shapes/version-shapes";

/** The stored `componentWorld` column, checked as it is read back. */
const StoredWorld = z.object({ imports: z.array(z.string()), exports: z.array(z.string()) });

export function toVersionView(v: {
  version: string;
  createdAt: Date;
  kind: string;
  moduleSha256: string;
  moduleSize: number;
  sourceSha256: string | null;
  sourceSize: number | null;
  componentWorld: unknown;
  manifestSha256: string;
  filesSha256: string;
  manifest: unknown;
  tainted: boolean;
  liveRoutes?: { route: string }[];
}): VersionView {
  return {
    version: v.version,
    createdAt: v.createdAt.toISOString(),
    kind: v.kind === "component" ? "component" : "module",
    moduleSha256: v.moduleSha256,
    moduleSize: v.moduleSize,
    component:
      v.kind === "component" && v.sourceSha256 !== null && v.sourceSize !== null
        ? { sourceSha256: v.sourceSha256, sourceSize: v.sourceSize, ...StoredWorld.parse(v.componentWorld) }
        : null,
    manifestSha256: v.manifestSha256,
    filesSha256: v.filesSha256,
    manifest: v.manifest as Manifest,
    tainted: v.tainted,
    live: (v.liveRoutes ?? []).map((r) => r.route),
  };
}
