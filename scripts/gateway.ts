/**
 * The gateway process: serves deployed apps over HTTP.
 *
 *   GATEWAY_PORT     (default 3001)
 *   GATEWAY_HOST     (default 127.0.0.1)
 *   GATEWAY_DOMAIN   apps also answer at <app>.<tenant>.<GATEWAY_DOMAIN> (optional)
 *   DATABASE_URL     serve what is deployed in this database (what `npm start` passes)
 *   DEPLOYMENTS_DIR  without DATABASE_URL: a folder of <tenant>/<app>/{module.wasm,manifest.json}
 *                    (default .data/deployments)
 *   GATEWAY_WORKERS  guest worker threads (default: number of cores, at least 2)
 *   GATEWAY_LOG      "json" (default: one JSON line per request on stdout) or "off"
 *   LOG_RETENTION_DAYS  with DATABASE_URL: request logs older than this are deleted (default 7, 0 keeps all)
 *
 * With DATABASE_URL every request is also written to the database in batches (request record,
 * guest log lines, daily usage): see docs/logs.md.
 */
import path from "node:path";
import { z } from "zod";
import { createDb } from "../lib/db/client";
import { createSpendingCapCache } from "../lib/billing/spending-cap-cache";
import { createLiveDeployments } from "../lib/deployments/live-deployments";
import { scheduleLogRetention } from "../lib/logs/delete-expired-logs";
import { createLogSink } from "../lib/logs/log-sink";
import { createRouteDiscovery } from "../lib/runtime/discover-routes";
import { createFolderRegistry } from "../lib/runtime/folder-registry";
import { createGateway, type RequestLog } from "../lib/runtime/gateway";
import { ModuleCache } from "../lib/runtime/module-cache";
import { WorkerPool } from "../lib/runtime/worker-pool";

const Env = z.object({
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  GATEWAY_HOST: z.string().min(1).default("127.0.0.1"),
  GATEWAY_DOMAIN: z.string().min(1).optional(),
  DATABASE_URL: z.string().min(1).optional(),
  DEPLOYMENTS_DIR: z.string().min(1).default(".data/deployments"),
  GATEWAY_WORKERS: z.coerce.number().int().min(1).optional(),
  GATEWAY_LOG: z.enum(["json", "off"]).default("json"),
  LOG_RETENTION_DAYS: z.coerce.number().min(0).default(7),
});

const parsed = Env.safeParse(process.env);
if (!parsed.success) {
  console.error(`Invalid gateway environment:\n${z.prettifyError(parsed.error)}`);
  process.exit(1);
}
const env = parsed.data;

const pool = await WorkerPool.create({ size: env.GATEWAY_WORKERS });
const moduleCache = new ModuleCache();
const db = env.DATABASE_URL ? createDb(env.DATABASE_URL) : null;
// The spending cap's month-to-date figures are dropped with the deployments when the routing epoch moves.
const spendingCap = db ? createSpendingCapCache({ db }) : null;
const live = db ? createLiveDeployments({ db, onEpochChange: () => spendingCap?.clear() }) : null;
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
  gatewayDomain: env.GATEWAY_DOMAIN,
  spendingCap: spendingCap ?? undefined,
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
  console.error(
    `gateway listening on ${url} (${pool.size} workers, deployments ${live ? "from the database" : `in ${path.resolve(env.DEPLOYMENTS_DIR)}`})\n` +
      `  apps: ${url}/<tenant>/<app>/` +
      (env.GATEWAY_DOMAIN ? `  or  http://<app>.<tenant>.${env.GATEWAY_DOMAIN}:${port}/` : ""),
  );
});

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    live?.close();
    stopRetention?.();
    // Requests finish first, then what they logged is written, then the process goes.
    void gateway
      .close()
      .then(() => sink?.close())
      .then(() => pool.close())
      .then(() => process.exit(0));
  });
}
