// The route table the preview dispatches with, resolved like the gateway resolves a deployment
// (lib/runtime/folder-registry.ts): the manifest's routes ("/..." to _start when it keeps the
// default), each followed by what the module's WAGI `_routes` export printed, mounted below it
// (later lines win, lib/wasm/route-pattern.ts matchRoute and mountModuleRoutes). The editor's templates
// spell the default out (`routes: [{path: /..., entrypoint: _start}]`), so that counts as default.
// The `_routes` output itself is read by lib/wasm readWagiRoutes in the preview worker.
import { readManifestYaml } from "@/lib/manifest/manifest-limits";
import { appendRoute, DEFAULT_ROUTE, isDefaultRouteTable, parseRoutePattern } from "@/lib/wasm/route-pattern";
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
  const declared: ShownRoute[] = manifestDeclaresRoutes(manifestText) ? manifestRoutes.map((r) => ({ ...r, source: "manifest" })) : [{ ...DEFAULT_ROUTE, source: "default" }];
  // The module's `_routes` below every route it is mounted at (route-pattern.ts mountModuleRoutes).
  return declared.flatMap((route) => [route, ...discovered.map((sub) => ({ path: appendRoute(route.path, sub.path), entrypoint: sub.entrypoint, source: "_routes" as const }))]);
}

/** The path a click on a route fills in: a wildcard's prefix with a trailing slash. */
export function examplePath(route: PreviewRoute): string {
  const pattern = parseRoutePattern(route.path);
  return pattern.wildcard ? `${pattern.base}/` : route.path;
}
