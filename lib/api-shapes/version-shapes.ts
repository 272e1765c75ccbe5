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

/** What a component version was uploaded as, and its world (versioned WASI 0.2 interface names). */
export const ComponentView = z.object({
  sourceSha256: z.string().describe("SHA-256 of the component as uploaded (what GET …/module returns)"),
  sourceSize: z.number().int(),
  imports: z.array(z.string()).describe('Interfaces the component imports, e.g. "wasi:http/types@0.2.0"'),
  exports: z.array(z.string()).describe('Interfaces it exports: "wasi:http/incoming-handler@0.2.x"'),
});
export type ComponentView = z.infer<typeof ComponentView>;

/** How the console names each kind of version. */
export const VERSION_KIND_LABEL = { module: "Module (WASI preview1)", component: "Component (wasi:http 0.2)" } as const;

export const VersionView = z.looseObject({
  version: z.string(),
  createdAt: Timestamp,
  // Defaults: a client (the CLI) reads a server from before components as serving modules only.
  kind: z
    .enum(["module", "component"])
    .default("module")
    .describe('"module": a WASI preview1 core module (WAGI); "component": a WASI 0.2 component exporting wasi:http/incoming-handler'),
  /** What the gateway runs: the memory-capped module, or the component's transpiled artifact. */
  moduleSha256: z.string().describe("SHA-256 of what the gateway runs: the memory-capped module, or a component's transpiled artifact"),
  moduleSize: z.number().int(),
  component: ComponentView.nullable().default(null).describe("Set for a component: its upload and its world"),
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
