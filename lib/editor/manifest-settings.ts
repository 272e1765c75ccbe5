// What the preview needs from wasmcompute.yaml, resolved exactly as publish resolves it
// (lib/manifest/parse-manifest.ts), with manifest errors turned into editor diagnostics.
import { parseManifest } from "@/lib/manifest/parse-manifest";
import { DEFAULT_LIMITS, type AppLimits } from "@/lib/deployment-record/record";
import { MANIFEST_PATH } from "@/lib/sources/source-files";
import type { Diagnostic } from "./diagnostics";
import type { PreviewRoute } from "./preview-protocol";

/** A schedule of the draft (docs/schedules.md): the request the gateway would make on its clock. */
export interface PreviewSchedule {
  cron: string;
  method: string;
  path: string;
  body?: string;
}

export interface ManifestSettings {
  env: Record<string, string>;
  routes: PreviewRoute[];
  schedules: PreviewSchedule[];
  limits: AppLimits;
  /** `allowed_hosts`: where the preview's outbound calls may go (checked again by the console). */
  allowedHosts: string[];
  diagnostics: Diagnostic[];
}

export function manifestSettings(text: string | undefined): ManifestSettings {
  const base: ManifestSettings = { env: {}, routes: [], schedules: [], limits: { ...DEFAULT_LIMITS }, allowedHosts: [], diagnostics: [] };
  if (text === undefined) return base;
  try {
    const manifest = parseManifest(text);
    return {
      env: manifest.env,
      routes: manifest.routes.map((r) => ({ path: r.path, entrypoint: r.entrypoint })),
      schedules: (manifest.schedules ?? []).map((s) => ({ cron: s.cron, method: s.method, path: s.path, ...(s.body === undefined ? {} : { body: s.body }) })),
      limits: { ...DEFAULT_LIMITS, ...Object.fromEntries(Object.entries(manifest.limits).filter(([, v]) => v !== undefined)) },
      allowedHosts: manifest.allowed_hosts,
      diagnostics: [],
    };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const line = Number(/\(line (\d+)\)/.exec(message)?.[1] ?? 1);
    return { ...base, diagnostics: [{ file: MANIFEST_PATH, line, column: 1, endLine: line, endColumn: 200, message, severity: "error", code: "manifest" }] };
  }
}
