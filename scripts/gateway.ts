/**
 * The gateway process: serves deployed apps over HTTP.
 *
 *   GATEWAY_PORT     (default 3001)
 *   GATEWAY_HOST     (default 127.0.0.1)
 *   GATEWAY_DOMAIN   apps answer at <app>--<tenant>.<GATEWAY_DOMAIN>, each its own origin (default: the
 *                    host name of GATEWAY_PUBLIC_URL when it is a name, else localhost)
 *   GATEWAY_PUBLIC_URL  the address clients use (default http://127.0.0.1:GATEWAY_PORT): an https one
 *                    makes the guest's X_FULL_URL https
 *   GATEWAY_PATH_ROUTING  "on": also answer /<tenant>/<app>/... on other host names. Every app then
 *                    shares one browser origin: for API-only use (SECURITY.md). Default "off"
 *   DATABASE_URL     serve what is deployed in this database (what `npm start` passes)
 *   DEPLOYMENTS_DIR  without DATABASE_URL: a folder of <tenant>/<app>/{module.wasm,manifest.json}
 *                    (default .data/deployments)
 *   GATEWAY_WORKERS  guest worker threads (default: number of cores, at least 2)
 *   GATEWAY_LOG      "json" (default: one JSON line per request on stdout) or "off"
 *   LOG_RETENTION_DAYS  with DATABASE_URL: request logs older than this are deleted (default 7, 0 keeps all)
 *   GATEWAY_PROCESSES  gateway processes sharing the port through node:cluster (default 1; `npm start`
 *                    passes the number of cores). The primary only forks, replaces a process that
 *                    dies and passes SIGTERM on; each process has its own worker pool and database pool.
 *   GATEWAY_DRAIN_MS on SIGTERM/SIGINT, how long requests in flight may still run (default 25000)
 *   GATEWAY_MAX_TIMEOUT_MS, GATEWAY_MAX_MEMORY_MB, GATEWAY_MAX_REQUEST_BYTES, GATEWAY_MAX_RESPONSE_BYTES
 *                    ceilings on what an app's manifest may set as its limits (default 30000 ms,
 *                    256 MiB, 100 MiB, 100 MiB; lib/deployment-record/limit-ceilings.ts); the console refuses
 *                    a manifest above them at publish, so give both the same values
 *   GATEWAY_WORKER_HEAP_MB  JS heap cap of each guest worker thread in MiB (default 512): past it only
 *                    that worker dies (its request answers 502), never the process
 *   GATEWAY_TENANT_CONCURRENCY, GATEWAY_APP_CONCURRENCY  requests of one tenant / one app a process
 *                    runs or queues at once, past which it answers 429 (default 250; app: the tenant's)
 *   GATEWAY_DB_WAIT_MS  how long a request may wait for the database before it answers 503
 *                    database-busy (default 5000)
 *   GATEWAY_DB_CONNECTIONS  database connections per process (default 10 shared by the
 *                    GATEWAY_PROCESSES processes, at least 4 each)
 *   BLOB_DIR         with DATABASE_URL: modules and files are files in this folder (`npm start` passes
 *                    DATA_DIR/blobs on the embedded database); unset: in the database (lib/blobs)
 *   WASMCOMPUTE_SECRETS_KEY  opens app secrets (lib/env); the same value as the console's. Unset: read
 *                    from DATA_DIR/secrets-key when DATA_DIR is set (`npm start` passes both). docs/env.md
 *
 * SIGTERM/SIGINT: stop accepting connections, let the requests in flight finish (up to
 * GATEWAY_DRAIN_MS), write their logs and usage, then exit 0 (docs/operations.md).
 *
 * With DATABASE_URL every request is also written to the database in batches (request record,
 * guest log lines, daily usage): see docs/logs.md.
 */
import cluster from "node:cluster";
import path from "node:path";
import { z } from "zod";
import { createBlobStore, scheduleBlobSweep } from "../lib/blobs/blob-store";
import { createDb } from "../lib/db/client";
import { createSpendingCapCache } from "../lib/billing/spending-cap-cache";
import { createLiveDeployments } from "../lib/deployments/live-deployments";
import { scheduleLogRetention } from "../lib/logs/delete-expired-logs";
import { createLogSink } from "../lib/logs/log-sink";
import { createExportedRouteDiscovery, createRouteDiscovery } from "../lib/runtime/discover-routes";
import { createFolderRegistry } from "../lib/runtime/folder-registry";
import type { AppLimits } from "../lib/deployment-record/record";
import { createGateway } from "../lib/runtime/gateway";
import type { RequestLog } from "../lib/deployment-record/ports";
import { InvalidCeilingError, limitCeilingsFromEnv } from "../lib/deployment-record/limit-ceilings";
import { ModuleCache } from "../lib/runtime/module-cache";
import { WorkerPool } from "../lib/runtime/worker-pool";
import { gatewayBaseUrl, gatewayDomain } from "../lib/platform-urls";

const Env = z.object({
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  GATEWAY_HOST: z.string().min(1).default("127.0.0.1"),
  GATEWAY_DOMAIN: z
    .string()
    .regex(/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.?$/, "a domain name such as apps.example.com (no scheme, no port, no path)")
    .optional(),
  GATEWAY_PATH_ROUTING: z.enum(["on", "off"]).default("off"),
  DATABASE_URL: z.string().min(1).optional(),
  DEPLOYMENTS_DIR: z.string().min(1).default(".data/deployments"),
  GATEWAY_WORKERS: z.coerce.number().int().min(1).optional(),
  GATEWAY_LOG: z.enum(["json", "off"]).default("json"),
  LOG_RETENTION_DAYS: z.coerce.number().min(0).default(7),
  GATEWAY_PROCESSES: z.coerce.number().int().min(1).max(256).default(1),
  GATEWAY_DRAIN_MS: z.coerce.number().int().min(0).default(25_000),
  GATEWAY_DB_CONNECTIONS: z.coerce.number().int().min(1).optional(),
  GATEWAY_WORKER_HEAP_MB: z.coerce.number().int().min(16).optional(),
  GATEWAY_TENANT_CONCURRENCY: z.coerce.number().int().min(1).optional(),
  GATEWAY_APP_CONCURRENCY: z.coerce.number().int().min(1).optional(),
  GATEWAY_DB_WAIT_MS: z.coerce.number().int().min(100).default(5000),
});

const parsed = Env.safeParse(process.env);
if (!parsed.success) {
  console.error(`Invalid gateway environment:\n${z.prettifyError(parsed.error)}`);
  process.exit(1);
}
const env = parsed.data;
const domain = gatewayDomain(process.env);
let ceilings: AppLimits;
try {
  ceilings = limitCeilingsFromEnv(process.env);
} catch (error) {
  if (!(error instanceof InvalidCeilingError)) throw error;
  console.error(`Invalid gateway environment: ${error.message}`);
  process.exit(1);
}
if (cluster.isPrimary && env.GATEWAY_PROCESSES > 1) await runPrimary(env.GATEWAY_PROCESSES);

const pool = await WorkerPool.create({
  size: env.GATEWAY_WORKERS,
  workerHeapMb: env.GATEWAY_WORKER_HEAP_MB,
  tenantConcurrency: env.GATEWAY_TENANT_CONCURRENCY,
  appConcurrency: env.GATEWAY_APP_CONCURRENCY,
});
const moduleCache = new ModuleCache();
// The processes of one cluster share the connections a single gateway would open (10), at least 4 each.
const db = env.DATABASE_URL ? createDb(env.DATABASE_URL, env.GATEWAY_DB_CONNECTIONS ?? Math.max(4, Math.ceil(10 / env.GATEWAY_PROCESSES))) : null;
// The spending cap's month-to-date figures are dropped with the deployments when the routing epoch moves.
const spendingCap = db ? createSpendingCapCache({ db }) : null;
// Modules and files: files under BLOB_DIR (the embedded default) or the database (lib/blobs).
const blobs = db ? createBlobStore({ db }) : null;
const live = db
  ? createLiveDeployments({ db, blobs: blobs!, onEpochChange: () => spendingCap?.clear(), discoverRoutes: createExportedRouteDiscovery(pool, moduleCache) })
  : null;
const stopBlobSweep = blobs ? scheduleBlobSweep({ store: blobs }) : null;
const sink = db ? createLogSink({ db }) : null;
const stopRetention = db && env.LOG_RETENTION_DAYS > 0 ? scheduleLogRetention({ db, retentionDays: env.LOG_RETENTION_DAYS }) : null;
const printLog = env.GATEWAY_LOG === "json" ? (record: RequestLog) => process.stdout.write(`${JSON.stringify(record)}\n`) : null;
const resolve = live
  ? live.resolve
  : createFolderRegistry({ dir: path.resolve(env.DEPLOYMENTS_DIR), discoverRoutes: createRouteDiscovery(pool, moduleCache) }).resolve;
const gateway = await createGateway({
  resolve,
  pool,
  moduleCache,
  gatewayDomain: domain,
  pathRouting: env.GATEWAY_PATH_ROUTING === "on",
  // Behind a TLS proxy, guests see the https URL their clients used (X_FULL_URL).
  publicScheme: new URL(gatewayBaseUrl(process.env)).protocol === "https:" ? "https" : "http",
  spendingCap: spendingCap ?? undefined,
  databaseWaitMs: env.GATEWAY_DB_WAIT_MS,
  // What an app's wasmcompute.yaml asks for is held to the operator's ceilings.
  maxLimits: ceilings,
  onLog:
    sink || printLog
      ? (record) => {
          sink?.push(record);
          printLog?.(record);
        }
      : undefined,
});

gateway.server.listen(env.GATEWAY_PORT, env.GATEWAY_HOST, () => {
  const address = gateway.server.address();
  const port = typeof address === "object" && address ? address.port : env.GATEWAY_PORT;
  const url = `http://${env.GATEWAY_HOST.includes(":") ? `[${env.GATEWAY_HOST}]` : env.GATEWAY_HOST}:${port}`;
  if (cluster.isWorker) {
    // The primary announces the port once every process listens.
    console.error(`gateway process ${process.pid} ready (${pool.size} workers)`);
    return;
  }
  console.error(
    `gateway listening on ${url} (${pool.size} workers, deployments ${live ? "from the database" : `in ${path.resolve(env.DEPLOYMENTS_DIR)}`})\n` +
      appsLine(port),
  );
});

let stopping = false;
function stop(): void {
  stopping = true;
  stopRetention?.();
  stopBlobSweep?.();
  // Requests in flight finish first (their kv writes need the store), then what they logged is
  // written, then the process goes.
  void gateway
    .close({ drainMs: env.GATEWAY_DRAIN_MS })
    .then(() => live?.close())
    .then(() => sink?.close())
    .then(() => pool.close())
    .then(() => process.exit(0));
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stop();
  });
}
// Under cluster the primary asks by message (a Ctrl-C also signals every process itself).
process.on("message", (message) => {
  if (message === "wasmcompute:stop" && !stopping) stop();
});

/** Where apps answer, for the start-up message. */
function appsLine(port: number): string {
  return (
    `  apps: http://<app>--<tenant>.${domain}:${port}/` +
    (env.GATEWAY_PATH_ROUTING === "on" ? `  and (GATEWAY_PATH_ROUTING=on, one origin for every app) /<tenant>/<app>/` : "")
  );
}

/**
 * The cluster primary: forks `count` gateway processes on the shared port, replaces any that
 * dies, and on SIGTERM/SIGINT asks them all to drain and exits when they have (0 if all did).
 */
function runPrimary(count: number): Promise<never> {
  let stopping = false;
  let listening = 0;
  let failed = false;
  /** Live processes: worker id → when it was forked. */
  const started = new Map<number, number>();
  const fork = () => {
    if (stopping) return;
    const worker = cluster.fork();
    started.set(worker.id, Date.now());
    worker.once("listening", (address) => {
      if (++listening !== count) return;
      const host = env.GATEWAY_HOST.includes(":") ? `[${env.GATEWAY_HOST}]` : env.GATEWAY_HOST;
      const url = `http://${host}:${address.port}`;
      console.error(
        `gateway listening on ${url} (${count} processes, deployments ${env.DATABASE_URL ? "from the database" : `in ${path.resolve(env.DEPLOYMENTS_DIR)}`})\n` +
          appsLine(address.port),
      );
    });
  };
  cluster.on("exit", (worker, code, signal) => {
    const forkedAt = started.get(worker.id) ?? 0;
    started.delete(worker.id);
    if (stopping) {
      if (code !== 0) failed = true;
      if (started.size === 0) process.exit(failed ? 1 : 0);
      return;
    }
    // A process that died young is likely to die again: do not fork in a tight loop.
    const young = Date.now() - forkedAt < 5000;
    console.error(`[gateway] process ${worker.process.pid} died (${signal ?? code}); starting a new one${young ? " in 1 s" : ""}`);
    setTimeout(fork, young ? 1000 : 0);
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(1);
      stopping = true;
      if (started.size === 0) process.exit(0);
      for (const worker of Object.values(cluster.workers ?? {})) if (worker?.isConnected()) worker.send("wasmcompute:stop");
    });
  }
  for (let i = 0; i < count; i++) fork();
  return new Promise<never>(() => {});
}
