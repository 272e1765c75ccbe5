import { DeploymentError, type RouteSpec } from "../deployment-record/record";
import { DiscoveredRoutes, readStored } from "../deployment-record/stored-version";
import { ModuleBinaryError } from "../wasm/wasm-binary";
import type { ModuleCache } from "./module-cache";
import { exportedFunctionNames } from "../wasm/module-limits";
import { isComponentArtifact } from "../wasm/component/artifact";
import type { WorkerPool } from "./worker-pool";

/**
 * Discovery of a module's own routes (WAGI `_routes`), done when a gateway first loads a version
 * whose manifest keeps the default route (not at publish: the stored version holds no routes of
 * the module's own), then cached per version. It runs guest code, so it runs in the worker pool
 * under a deadline like any request.
 */
export function createRouteDiscovery(pool: WorkerPool, moduleCache: ModuleCache, deadlineMs = 2000) {
  return async ({ moduleHash, bytes }: { moduleHash: string; bytes: Uint8Array }): Promise<RouteSpec[]> => {
    const outcome = await pool.run({
      moduleHash,
      getModule: () => moduleCache.get(moduleHash, () => bytes),
      getBytes: async () => bytes,
      deadlineMs,
      input: {
        mode: "routes",
        request: { method: "GET", url: "http://localhost/", headers: [], body: new Uint8Array(), remoteAddr: "", route: "/" },
        entrypoint: "_routes",
        env: {},
        maxResponseBytes: 64 * 1024,
      },
    });
    if (outcome.kind !== "ok") {
      const why = outcome.kind === "timeout" ? `did not finish within ${deadlineMs} ms` : outcome.kind;
      throw new DeploymentError(`The module's _routes export ${why}.`);
    }
    const text = new TextDecoder().decode(outcome.result.body);
    if (outcome.result.status !== 200) throw new DeploymentError(`The module's _routes export failed: ${text}`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new DeploymentError(`The module's _routes answer is not JSON: ${text.slice(0, 200)}`);
    }
    const routes = readStored(DiscoveredRoutes, json, "module's _routes answer");
    return routes.map((r) => ({ prefix: r.path, entrypoint: r.entrypoint }));
  };
}

/**
 * Discovery for deployments whose manifest declares no routes of its own: asks the module only
 * when it exports `_routes` (never a component: no "routes" job is sent for one), read from its export section: nothing compiles on the gateway's main
 * thread (a module of a million functions would stall every request of the process meanwhile).
 */
export function createExportedRouteDiscovery(pool: WorkerPool, moduleCache: ModuleCache, deadlineMs = 2000) {
  const discover = createRouteDiscovery(pool, moduleCache, deadlineMs);
  return async ({ moduleHash, getBytes }: { moduleHash: string; getBytes: () => Promise<Uint8Array> }): Promise<RouteSpec[]> => {
    const bytes = await getBytes();
    // A component (its packed artifact) has no `_routes`: its one handler serves every path of its routes.
    if (isComponentArtifact(bytes)) return [];
    let exportsRoutes: boolean;
    try {
      exportsRoutes = exportedFunctionNames(bytes).has("_routes");
    } catch (error) {
      if (error instanceof ModuleBinaryError) throw new DeploymentError(`The app's module cannot run: ${error.message}`);
      throw error;
    }
    return exportsRoutes ? discover({ moduleHash, bytes }) : [];
  };
}
