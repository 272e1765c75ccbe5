// The route table the preview dispatches with, resolved like the gateway resolves a deployment
// (lib/runtime/folder-registry.ts): "/..." to _start plus what the module's WAGI `_routes` export
// printed (later lines win, lib/wasm/route-pattern.ts matchRoute) when the manifest keeps the default route;
// the manifest's own routes, and no `_routes`, when it declares others. The editor's templates
// spell the default out (`routes: [{path: /..., entrypoint: _start}]`), so that counts as default.
// The `_routes` output itself is read by lib/wasm readWagiRoutes in the preview worker.
import { readManifestYaml } from "@/lib/manifest/manifest-limits";
import { DEFAULT_ROUTE, isDefaultRouteTable, parseRoutePattern } from "@/lib/wasm/route-pattern";
import type { PreviewRoute } from "./preview-protocol";

export interface ShownRoute extends PreviewRoute {
  source: "manifest" | "_routes" | "default";
}

/**
 * True when wasmcompute.yaml declares routes other than the default "/..." → _start (then `_routes`
 * is not consulted, as on the gateway).
 */
export function manifestDeclaresRoutes(text: string | undefined): boolean {
  if (text === undefined) return false;
  try {
    // Read within the manifest limits, as publish reads it (an oversized one is not parsed at all).
    const routes = (readManifestYaml(text) as { routes?: unknown } | null)?.routes;
    if (routes == null) return false;
    if (!Array.isArray(routes)) return true;
    const written = routes.map((r: { path?: unknown; entrypoint?: unknown } | null) => ({
      path: typeof r?.path === "string" ? r.path : "",
      entrypoint: typeof r?.entrypoint === "string" ? r.entrypoint : r?.entrypoint === undefined ? undefined : "",
    }));
    return !isDefaultRouteTable(written);
  } catch {
    return false;
  }
}

export function previewRouteTable({ manifestText, manifestRoutes, discovered }: { manifestText: string | undefined; manifestRoutes: PreviewRoute[]; discovered: PreviewRoute[] }): ShownRoute[] {
  if (manifestDeclaresRoutes(manifestText)) return manifestRoutes.map((r) => ({ ...r, source: "manifest" }));
  return [{ ...DEFAULT_ROUTE, source: "default" }, ...discovered.map((r) => ({ ...r, source: "_routes" as const }))];
}

/** The path a click on a route fills in: a wildcard's prefix with a trailing slash. */
export function examplePath(route: PreviewRoute): string {
  const pattern = parseRoutePattern(route.path);
  return pattern.wildcard ? `${pattern.base}/` : route.path;
}
