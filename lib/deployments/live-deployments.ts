// The gateway's view of the database: which version each app route serves now. Cached per
// process and dropped whenever the routing epoch moves: checked as soon as a bump is notified
// (`epochEvents`, lib/db/routing-epoch-listener.ts) and polled every `pollMs` as the fallback for
// a lost listening connection. Both work the same on the embedded database and on PostgreSQL,
// and across any number of gateway processes.
import { createBlobStore, readBlobOrThrow, type BlobStore } from "@/lib/blobs/blob-store";
import type { Db } from "@/lib/db/client";
import { createKvAccess, type KvGateway } from "@/lib/kv/create-kv-access";
import { loadLiveEnv } from "@/lib/env/load-live-env";
import type { ResolvedDeployment, RouteSpec } from "@/lib/deployment-record/record";
import { readStored, StoredManifest } from "@/lib/deployment-record/stored-version";
import { mountModuleRoutes, routesOrDefault } from "@/lib/wasm/route-pattern";
import { createStaticSite } from "@/lib/deployment-record/static-site";
import { readLiveRoutes } from "./read-live-routes";

export interface LiveApp {
  /** route ("" default, or e.g. "v/0.0.1") → what it serves. */
  routes: Map<string, ResolvedDeployment>;
}

export interface LiveDeployments {
  /** The deployment for a request path inside the app (its `mount` says which route matched). */
  resolve(tenant: string, app: string, path: string): Promise<ResolvedDeployment | null>;
  /** Checks the epoch now (tests; a notified bump and the poller do it too). */
  refresh(): Promise<void>;
  close(): void;
}

export function createLiveDeployments(options: {
  db: Db;
  pollMs?: number;
  maxApps?: number;
  kv?: KvGateway;
  /** Called when the routing epoch moves (e.g. the spending cap cache drops its entries). */
  onEpochChange?: () => void;
  /**
   * Subscribes to notified epoch bumps (lib/db/routing-epoch-listener.ts); each one checks the
   * epoch at once. Without it a deploy waits for the next poll (on average half of `pollMs`).
   */
  epochEvents?: (onBump: () => void) => { close(): unknown };
  /**
   * A module's own routes (WAGI `_routes`), mounted below every route of its manifest as WAGI
   * mounts them (lib/runtime/discover-routes.ts createExportedRouteDiscovery: [] when the module
   * exports no `_routes`).
   */
  discoverRoutes?: (input: { moduleHash: string; getBytes: () => Promise<Uint8Array> }) => Promise<RouteSpec[]>;
  /** Where modules and files are read from (default: as BLOB_DIR says). */
  blobs?: BlobStore;
}): LiveDeployments {
  const { db } = options;
  const blobs = options.blobs ?? createBlobStore({ db });
  // Each deployment carries its app's key-value store (lib/kv), opened once per request.
  const kv = options.kv ?? createKvAccess({ db });
  const maxApps = options.maxApps ?? 10_000;
  let cache = new Map<string, Promise<LiveApp | null>>();
  // Versions are immutable, so their discovered routes outlive epoch changes.
  const discovered = new Map<string, Promise<RouteSpec[]>>();
  // Module bytes a cold app's lookup just read (to look for `_routes`), by hash: the first worker
  // that needs them takes them from here instead of reading the blob store a second time.
  // Held briefly and few at once: a worker that already has the module (another app's) never asks.
  const justRead = new Map<string, Promise<Uint8Array>>();
  const JUST_READ_MAX = 16;
  const JUST_READ_MS = 5000;

  function readModuleOnce(moduleHash: string): Promise<Uint8Array> {
    const read = readBlobOrThrow(blobs, moduleHash);
    const forget = () => {
      if (justRead.get(moduleHash) === read) justRead.delete(moduleHash);
    };
    if (justRead.size >= JUST_READ_MAX) justRead.delete(justRead.keys().next().value!);
    justRead.set(moduleHash, read);
    read.catch(forget);
    setTimeout(forget, JUST_READ_MS).unref();
    return read;
  }

  function moduleBytes(moduleHash: string): Promise<Uint8Array> {
    const read = justRead.get(moduleHash);
    if (!read) return readBlobOrThrow(blobs, moduleHash);
    justRead.delete(moduleHash);
    return read;
  }

  function routesOf(versionId: string, kind: string, moduleHash: string, declared: StoredManifest["routes"]): Promise<RouteSpec[]> {
    const mounted = routesOrDefault(declared);
    const asSpecs = (routes: readonly { path: string; entrypoint: string }[]) => routes.map((r) => ({ prefix: r.path, entrypoint: r.entrypoint }));
    // A component has no `_routes` to ask: its one handler serves every path under its routes.
    if (!options.discoverRoutes || kind === "component") return Promise.resolve(asSpecs(mounted));
    let found = discovered.get(versionId);
    if (!found) {
      if (discovered.size >= maxApps) discovered.delete(discovered.keys().next().value!);
      found = options.discoverRoutes({ moduleHash, getBytes: () => readModuleOnce(moduleHash) });
      found.catch(() => discovered.delete(versionId));
      discovered.set(versionId, found);
    }
    return found.then((own) => asSpecs(mountModuleRoutes(mounted, own.map((r) => ({ path: r.prefix, entrypoint: r.entrypoint })))));
  }
  let epoch: bigint | null = null;

  async function checkEpoch(): Promise<void> {
    const row = await db.routingEpoch.findUnique({ where: { id: 1 } });
    const value = row?.value ?? 0n;
    if (epoch !== value) {
      epoch = value;
      cache = new Map();
      options.onEpochChange?.();
    }
  }

  // One check at a time, in order: a slow read from before a bump cannot land after a newer one.
  let checks: Promise<void> = Promise.resolve();
  function refresh(): Promise<void> {
    const check = checks.then(checkEpoch);
    checks = check.catch(() => {});
    return check;
  }
  function refreshInBackground(): void {
    refresh().catch(() => {
      // The database is unreachable: serve from the cache until it is back.
    });
  }

  const timer = setInterval(refreshInBackground, options.pollMs ?? 250);
  timer.unref();
  const events = options.epochEvents?.(refreshInBackground);

  async function load(tenant: string, app: string): Promise<LiveApp | null> {
    const rows = await readLiveRoutes(db, tenant, app);
    if (rows.length === 0) return null;
    // The app's production variables and opened secrets (lib/env): read with the routes, so a
    // change (which bumps the epoch) reaches the next request without a new version.
    // Both need only the rows: one waits on the database while the other reads the module.
    const manifests = rows.map((row) => readStored(StoredManifest, row.version.manifest, `stored manifest of version ${row.version.id}`));
    const [appEnv, ...ownRoutes] = await Promise.all([
      loadLiveEnv({ db, tenantId: rows[0]!.tenantId, appId: rows[0]!.appId, env: process.env }),
      ...rows.map((row, i) => routesOf(row.version.id, row.version.kind, row.version.moduleSha256, manifests[i]!.routes)),
    ]);
    const routes: LiveApp["routes"] = new Map();
    for (const [i, row] of rows.entries()) {
      const v = row.version;
      const manifest = manifests[i]!;
      routes.set(row.route, {
        versionId: v.id,
        tenantId: row.tenantId,
        appId: row.appId,
        moduleHash: v.moduleSha256,
        getModuleBytes: () => moduleBytes(v.moduleSha256),
        routes: ownRoutes[i]!,
        env: { ...manifest.env, ...appEnv },
        files:
          v.files.length === 0
            ? null
            : {
                key: v.filesSha256,
                async getEntries() {
                  const byHash = await blobs.readMany(v.files.map((f) => f.sha256));
                  const missing = v.files.find((f) => !byHash.has(f.sha256));
                  if (missing) throw new Error(`blob ${missing.sha256} of file ${missing.path} is missing from the ${blobs.kind} blob store`);
                  return Object.fromEntries(v.files.map((f) => [f.path, byHash.get(f.sha256)!]));
                },
              },
        limits: manifest.limits,
        allowedHosts: manifest.allowed_hosts,
        static: createStaticSite({ mounts: manifest.static, files: v.files, read: (sha256) => readBlobOrThrow(blobs, sha256) }),
        mount: row.route ? `/${row.route}` : "",
        kv: kv.forApp({ tenantId: row.tenantId, appId: row.appId }),
      });
    }
    return { routes };
  }

  return {
    async resolve(tenant, app, path) {
      if (epoch === null) await refresh();
      const key = `${tenant}/${app}`;
      let entry = cache.get(key);
      if (!entry) {
        if (cache.size >= maxApps) cache.delete(cache.keys().next().value!);
        entry = load(tenant, app);
        entry.catch(() => cache.delete(key));
        cache.set(key, entry);
      }
      const live = await entry;
      if (!live) return null;
      // Explicit routes ("v/0.0.1") win over the default one for paths under them.
      for (const [route, deployment] of live.routes) {
        if (route && (path === `/${route}` || path.startsWith(`/${route}/`))) return deployment;
      }
      return live.routes.get("") ?? null;
    },
    refresh,
    close: () => {
      clearInterval(timer);
      void events?.close();
      if (!options.kv) kv.close();
    },
  };
}
