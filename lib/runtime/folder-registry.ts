/**
 * Deployments read from a folder, for local use and tests until the database-backed resolver
 * exists:
 *
 *   <dir>/<tenant>/<app>/module.wasm
 *   <dir>/<tenant>/<app>/manifest.json   (optional; see FolderManifest)
 *   <dir>/<tenant>/<app>/files/...        (optional; mounted read-only at /app)
 *
 * "Publishing" happens when a changed module is first seen, through the same module checks as the
 * console's publish (lib/versions/check-module.ts: validate, cap memory), then a hash. The result
 * is immutable; a later change on disk produces a new version.
 */
import { createHash } from "node:crypto";
import { readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { AppLimits, DEFAULT_LIMITS, DeploymentError, RouteSpec, type ResolvedDeployment } from "../deployment-record/record";
import { checkModule } from "../versions/check-module";
import { transpileComponentInWorker } from "../versions/transpile-component-in-worker";
import { isComponentBinary } from "../wasm/component/detect";
// The module checks' compile, off the gateway's main thread (DEPLOYMENTS_DIR serves from here).
import { describeInWorker } from "../compile-workers/compile-in-worker";
import { hashModule } from "./module-cache";
import { exportedFunctionNames } from "../wasm/module-limits";
import { DEFAULT_ROUTE, mountModuleRoutes } from "../wasm/route-pattern";
import { joinBytes } from "../wasm/wasm-binary";

export const FolderManifest = z.object({
  versionId: z.string().min(1).optional(),
  routes: z.array(RouteSpec).optional(),
  env: z.record(z.string(), z.string()).default({}),
  limits: AppLimits.partial().default({}),
  /** wasmcompute.yaml's `allowed_hosts` (lib/outbound/allowed-hosts.ts). */
  allowed_hosts: z.array(z.string()).default([]),
});
export type FolderManifest = z.infer<typeof FolderManifest>;

export interface FolderRegistryOptions {
  dir: string;
  /** How long a looked-up deployment is trusted before the folder is checked again. */
  ttlMs?: number;
  /** Limits for apps whose manifest does not set them (the memory cap is applied here). */
  defaults?: Partial<AppLimits>;
  /**
   * Asks a module for its own routes (the WAGI `_routes` export) when the manifest lists none.
   * Runs guest code, so callers should run it in the worker pool under a deadline.
   */
  discoverRoutes?: (input: { moduleHash: string; bytes: Uint8Array }) => Promise<RouteSpec[]>;
}

interface CacheEntry {
  checkedAt: number;
  signature: string;
  deployment: ResolvedDeployment | null;
  error?: DeploymentError;
}

const NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

async function statSignature(file: string): Promise<string> {
  try {
    const s = await stat(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return "-";
  }
}

async function readTree(root: string): Promise<Record<string, Uint8Array>> {
  const entries: Record<string, Uint8Array> = {};
  const walk = async (dir: string, prefix: string) => {
    for (const dirent of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, dirent.name);
      const rel = prefix ? `${prefix}/${dirent.name}` : dirent.name;
      if (dirent.isDirectory()) await walk(full, rel);
      else if (dirent.isFile()) entries[rel] = new Uint8Array(await readFile(full));
    }
  };
  await walk(root, "");
  return entries;
}

function hashFiles(entries: Record<string, Uint8Array>): string {
  const hash = createHash("sha256");
  for (const name of Object.keys(entries).sort()) {
    hash.update(name).update("\0").update(String(entries[name]!.byteLength)).update("\0").update(entries[name]!);
  }
  return hash.digest("hex");
}

export function createFolderRegistry(options: FolderRegistryOptions) {
  const ttlMs = options.ttlMs ?? 1000;
  const defaults: AppLimits = { ...DEFAULT_LIMITS, ...options.defaults };
  const cache = new Map<string, CacheEntry>();

  async function load(appDir: string): Promise<ResolvedDeployment | null> {
    let original: Uint8Array;
    try {
      original = new Uint8Array(await readFile(path.join(appDir, "module.wasm")));
    } catch {
      return null;
    }
    let manifestJson: unknown = {};
    try {
      manifestJson = JSON.parse(await readFile(path.join(appDir, "manifest.json"), "utf8"));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
        throw new DeploymentError(`manifest.json is not valid JSON: ${(error as Error).message}`);
      }
    }
    // Once per version: zod's compiled fast path would cost the first request more than it saves.
    const parsed = FolderManifest.safeParse(manifestJson, { jitless: true });
    if (!parsed.success) throw new DeploymentError(`manifest.json is invalid: ${z.prettifyError(parsed.error)}`);
    const manifest = parsed.data;
    const limits: AppLimits = { ...defaults, ...manifest.limits };

    if (isComponentBinary(original)) {
      // A WASI 0.2 component: transpiled as publish does; it serves every path under its routes.
      const answer = await transpileComponentInWorker({ bytes: original, memoryMb: limits.memoryMb });
      if (!answer.ok) throw new DeploymentError("problems" in answer ? answer.problems.join(" ") : answer.error, "problems" in answer ? answer.problems : [answer.error]);
      const routes = (manifest.routes ?? [{ prefix: DEFAULT_ROUTE.path, entrypoint: DEFAULT_ROUTE.entrypoint }]).map((r) => ({ ...r, entrypoint: DEFAULT_ROUTE.entrypoint }));
      return deploymentOf(appDir, manifest, routes, answer.artifactSha256, answer.artifact);
    }
    // Entrypoints are checked below, once the routes (possibly discovered) are known.
    const checked = await checkModule({ bytes: original, entrypoints: [], memoryMb: limits.memoryMb, describe: describeInWorker });
    if (!checked.ok) throw new DeploymentError(checked.problems.join(" "), checked.problems);
    const bytes = joinBytes(checked.pieces);
    const moduleHash = hashModule(bytes);

    // Read from the export section: the checks have compiled it (in a worker) already.
    const exported = exportedFunctionNames(bytes);
    let routes: RouteSpec[] = manifest.routes ?? [{ prefix: DEFAULT_ROUTE.path, entrypoint: DEFAULT_ROUTE.entrypoint }];
    if (exported.has("_routes") && options.discoverRoutes) {
      // The module's `_routes` below every route it is mounted at, as WAGI does.
      const own = (await options.discoverRoutes({ moduleHash, bytes })).map((r) => ({ path: r.prefix, entrypoint: r.entrypoint }));
      const declared = routes.map((r) => ({ path: r.prefix, entrypoint: r.entrypoint }));
      routes = mountModuleRoutes(declared, own).map((r) => ({ prefix: r.path, entrypoint: r.entrypoint }));
    }
    const missing = [...new Set(routes.map((r) => r.entrypoint))].filter((name) => !exported.has(name));
    if (missing.length > 0) {
      const problem =
        `The module exports no function named ${missing.map((m) => `"${m}"`).join(", ")}` +
        (manifest.routes ? " (named in manifest.json routes)." : ": list its entrypoints in manifest.json routes.");
      throw new DeploymentError(problem, [problem]);
    }

    return deploymentOf(appDir, manifest, routes, moduleHash, bytes);
  }

  /** The deployment of a checked module (or a component's artifact) with the app's files. */
  async function deploymentOf(appDir: string, manifest: FolderManifest, routes: RouteSpec[], moduleHash: string, bytes: Uint8Array): Promise<ResolvedDeployment> {
    let files: ResolvedDeployment["files"] = null;
    const filesDir = path.join(appDir, "files");
    if ((await statSignature(filesDir)) !== "-") {
      const entries = await readTree(filesDir);
      files = { key: hashFiles(entries), getEntries: async () => entries };
    }
    return {
      versionId: manifest.versionId ?? moduleHash.slice(0, 12),
      moduleHash,
      getModuleBytes: async () => bytes,
      routes,
      env: manifest.env,
      files,
      limits: manifest.limits,
      allowedHosts: manifest.allowed_hosts,
    };
  }

  async function resolve(tenant: string, app: string): Promise<ResolvedDeployment | null> {
    if (!NAME.test(tenant) || !NAME.test(app)) return null;
    const key = `${tenant}/${app}`;
    const now = Date.now();
    const cached = cache.get(key);
    if (cached && now - cached.checkedAt < ttlMs) {
      if (cached.error) throw cached.error;
      return cached.deployment;
    }
    const appDir = path.join(options.dir, tenant, app);
    const signature = (
      await Promise.all(["module.wasm", "manifest.json", "files"].map((f) => statSignature(path.join(appDir, f))))
    ).join("|");
    if (cached && cached.signature === signature) {
      cached.checkedAt = now;
      if (cached.error) throw cached.error;
      return cached.deployment;
    }
    try {
      const deployment = await load(appDir);
      cache.set(key, { checkedAt: now, signature, deployment });
      return deployment;
    } catch (error) {
      if (error instanceof DeploymentError) cache.set(key, { checkedAt: now, signature, deployment: null, error });
      throw error;
    }
  }

  return { resolve };
}
