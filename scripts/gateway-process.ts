/**
 * The gateway process once its guest threads are starting (scripts/gateway.ts, which says what it
 * does): settings, worker pool, deployments, the HTTP server, schedules and the drain on SIGTERM.
 */
import cluster from "node:cluster";
import os from "node:os";
import path from "node:path";
import { createRouteDiscovery } from "../lib/runtime/discover-routes";
import { createFolderRegistry } from "../lib/runtime/folder-registry";
import { createGateway } from "../lib/runtime/gateway";
import type { RequestLog } from "../lib/deployment-record/ports";
import { ModuleCache } from "../lib/runtime/module-cache";
import { WorkerPool } from "../lib/runtime/worker-pool";
import { GATEWAY_FIRST_THREADS } from "../lib/runtime/guest-threads";
import { gatewayBaseUrl, gatewayDomain } from "../lib/platform-urls";
import { secondSchedulesAllowed } from "../lib/schedules/schedule-rules";
import { loadGatewaySettingsOrExit } from "./gateway-settings";

// Every setting, read once and checked as the process starts (scripts/gateway-settings.ts).
const env = loadGatewaySettingsOrExit(process.env);
const processes = env.GATEWAY_PROCESSES ?? 1;
const domain = gatewayDomain(process.env);
const ceilings = env.limitCeilings;
if (cluster.isPrimary && processes > 1) await runPrimary(processes);

const poolReady = WorkerPool.create({
  size: env.GATEWAY_WORKERS,
  readyFirst: GATEWAY_FIRST_THREADS,
  workerHeapMb: env.GATEWAY_WORKER_HEAP_MB,
  tenantConcurrency: env.GATEWAY_TENANT_CONCURRENCY,
  appConcurrency: env.GATEWAY_APP_CONCURRENCY,
});
// Loaded only with a database, while the worker threads start (scripts/gateway-database.ts).
const databaseModule = env.DATABASE_URL ? await import("./gateway-database") : null;
const pool = await poolReady;
const moduleCache = new ModuleCache();
const database =
  databaseModule && env.DATABASE_URL
    ? databaseModule.openDatabase({
        databaseUrl: env.DATABASE_URL,
        // The processes of one cluster share the connections a single gateway would open (10), at least 4 each.
        connections: env.GATEWAY_DB_CONNECTIONS ?? Math.max(4, Math.ceil(10 / processes)),
        logRetentionDays: env.LOG_RETENTION_DAYS,
        pool,
        moduleCache,
      })
    : null;
const db = database?.db ?? null;
const spendingCap = database?.spendingCap ?? null;
const live = database?.live ?? null;
const sink = database?.sink ?? null;
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
  // Guests' outbound HTTP: the non-public addresses the operator permits, and whether "*" may be used.
  outbound: { operatorAllow: env.GATEWAY_OUTBOUND_ALLOW, allowAnyHost: env.GATEWAY_OUTBOUND_ANY === "on" },
  onLog:
    sink || printLog
      ? (record) => {
          sink?.push(record);
          printLog?.(record);
        }
      : undefined,
});

// Schedules (docs/schedules.md): every process runs a scheduler; the database decides which one runs a slot.
const secondSchedules = secondSchedulesAllowed(process.env);
const scheduledRequests = databaseModule && db ? await databaseModule.createScheduledRequests(gateway, domain) : null;
const scheduler =
  databaseModule && db && scheduledRequests
    ? databaseModule.startScheduler({
        db,
        send: scheduledRequests.send,
        gatewayId: `${os.hostname()}:${process.pid}`,
        rules: { minIntervalMinutes: env.SCHEDULE_MIN_INTERVAL_MINUTES, allowSeconds: secondSchedules },
        maxRunMs: ceilings.timeoutMs + env.GATEWAY_DB_WAIT_MS,
        // Test schedules fire every second: look five times as often.
        tickMs: secondSchedules ? 200 : 1000,
      })
    : null;

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
  database?.stopSweeps();
  // Requests in flight finish first (their kv writes need the store), then what they logged is
  // written, then the process goes. The scheduler stops claiming first; runs it has started get
  // the same drain (one it cannot finish is recorded failed when its lease runs out).
  void Promise.resolve(scheduler?.close(env.GATEWAY_DRAIN_MS))
    .then(() => scheduledRequests?.close())
    .then(() => gateway.close({ drainMs: env.GATEWAY_DRAIN_MS }))
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
