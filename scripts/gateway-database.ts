// The parts of a gateway process that only DATABASE_URL brings: the database client (Prisma over
// pg), deployments, blobs, logs and spending caps from the database, and schedules. scripts/gateway.ts
// imports this module on demand: a gateway serving a folder never loads it, one with a database
// loads it while its worker threads start (pg and Prisma's runtime are most of the server bundle,
// and evaluating pg alone makes node load its bundled undici).
import { createBlobStore, scheduleBlobSweep } from "../lib/blobs/blob-store";
import { createDb } from "../lib/db/client";
import { listenForRoutingEpoch } from "../lib/db/routing-epoch-listener";
import { createSpendingCapCache } from "../lib/billing/spending-cap-cache";
import { createLiveDeployments } from "../lib/deployments/live-deployments";
import { scheduleLogRetention } from "../lib/logs/delete-expired-logs";
import { createLogSink } from "../lib/logs/log-sink";
import { createExportedRouteDiscovery } from "../lib/runtime/discover-routes";
import type { ModuleCache } from "../lib/runtime/module-cache";
import type { WorkerPool } from "../lib/runtime/worker-pool";

export { createScheduledRequests } from "../lib/runtime/scheduled-requests";
export { startScheduler } from "../lib/runtime/scheduler";

export interface DatabaseOptions {
  databaseUrl: string;
  /** The connections this process may open. */
  connections: number;
  /** Request logs older than this are deleted (0: kept). */
  logRetentionDays: number;
  pool: WorkerPool;
  moduleCache: ModuleCache;
}

export function openDatabase({ databaseUrl, connections, logRetentionDays, pool, moduleCache }: DatabaseOptions) {
  const db = createDb(databaseUrl, connections);
  // The spending cap's month-to-date figures are dropped with the deployments when the routing epoch moves.
  const spendingCap = createSpendingCapCache({ db });
  // Modules and files: files under BLOB_DIR (the embedded default) or the database (lib/blobs).
  const blobs = createBlobStore({ db });
  const live = createLiveDeployments({
    db,
    blobs,
    onEpochChange: () => spendingCap.clear(),
    // A deploy is served as soon as its bump is notified; the poll is the fallback.
    epochEvents: (onBump) => listenForRoutingEpoch({ databaseUrl, onNotify: onBump }),
    discoverRoutes: createExportedRouteDiscovery(pool, moduleCache),
  });
  const stopBlobSweep = scheduleBlobSweep({ store: blobs });
  // Batches go through the sink's own pg connection: Prisma's raw-query path cost the main thread more.
  const sink = createLogSink({ db, databaseUrl });
  const stopRetention = logRetentionDays > 0 ? scheduleLogRetention({ db, retentionDays: logRetentionDays }) : null;
  return {
    db,
    spendingCap,
    live,
    sink,
    /** Stops the periodic sweeps (blobs, log retention): the first step of a drain. */
    stopSweeps(): void {
      stopRetention?.();
      stopBlobSweep();
    },
  };
}
