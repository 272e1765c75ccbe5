// WAGI's `_routes` convention: a module may export `_routes`, which prints one
// "path entrypoint" line per sub-route; "/..." suffixes are wildcards and, when
// several routes match, the LAST one listed wins (deislabs/wagi writing_modules.md; matched by
// route-pattern.ts matchRoute).
import { parseRoutePattern } from "./route-pattern";
import { runWasi } from "./run-wasi";

export interface WagiRoute {
  /** As printed, e.g. "/hello" or "/goodbye/...". */
  path: string;
  /** The export to call instead of _start. */
  entrypoint: string;
  wildcard: boolean;
}

/** Parse `_routes` output. Throws with the offending line when a line is not "path entrypoint". */
export function parseWagiRoutes(text: string): WagiRoute[] {
  const routes: WagiRoute[] = [];
  for (const [i, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (line === "") continue;
    const parts = line.split(/\s+/);
    const [path, entrypoint] = parts;
    if (parts.length !== 2 || !path || !entrypoint || !path.startsWith("/")) {
      throw new Error(`_routes line ${i + 1} must be "/path entrypoint", got ${JSON.stringify(line)}`);
    }
    routes.push({ path, entrypoint, wildcard: parseRoutePattern(path).wildcard });
  }
  return routes;
}

/**
 * Run a module's `_routes` export and parse what it prints. Returns [] when
 * the module has no `_routes`; throws when it fails or prints garbage.
 */
export function readWagiRoutes(module: WebAssembly.Module): WagiRoute[] {
  const exported = WebAssembly.Module.exports(module).some((e) => e.name === "_routes" && e.kind === "function");
  if (!exported) return [];
  const run = runWasi({ module, args: ["_routes"], entrypoint: "_routes" });
  if (run.error) throw new Error(`_routes failed: ${run.error.message}`);
  if (run.exitCode !== 0) throw new Error(`_routes exited with code ${run.exitCode}`);
  return parseWagiRoutes(new TextDecoder().decode(run.stdout));
}
