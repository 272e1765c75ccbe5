/**
 * Many apps in one gateway, as production serves them: deployments read from the database
 * (lib/deployments/live-deployments.ts) and modules from the blob store, against PostgreSQL
 * (TEST_POSTGRES_URL, a throwaway database) when it answers, else the embedded one (BENCH_DB=
 * embedded|postgres chooses; PGlite runs in this process, so its CPU lands on the main thread). The first request to a cold app
 * (look the app up, read its module, ask for `_routes`, compile in a guest worker, run) beside the
 * next one, and the time in the resolve step alone (database rows, env, blob read, exports).
 *
 *   BENCH_APPS (default 300), BENCH_SHARED=1: every app serves the same module (one hash)
 */
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import type { Actor } from "../lib/auth/actor";
import { createApp } from "../lib/apps/create-app";
import { deployVersion } from "../lib/deployments/deploy-version";
import { createLiveDeployments } from "../lib/deployments/live-deployments";
import { createExportedRouteDiscovery } from "../lib/runtime/discover-routes";
import { createGateway } from "../lib/runtime/gateway";
import { ModuleCache } from "../lib/runtime/module-cache";
import { WorkerPool } from "../lib/runtime/worker-pool";
import { adminQuery, createTestDatabase, type DatabaseKind } from "../lib/testing/test-database";
import { signUp } from "../lib/tenants/sign-up";
import { publishVersion } from "../lib/versions/publish-version";
import { reportFigure } from "./lib/figures";
import { appName, pct, rssMiB, sequentialGetter, withCustomSection } from "./lib/many-apps";

const APPS = Number(process.env.BENCH_APPS ?? 300);
const SHARED = process.env.BENCH_SHARED === "1";
/** PostgreSQL when its server answers (TEST_POSTGRES_URL or the default), else the embedded database. */
async function databaseKind(): Promise<DatabaseKind> {
  if (process.env.BENCH_DB) return process.env.BENCH_DB as DatabaseKind;
  try {
    await adminQuery("SELECT 1");
    return "postgres";
  } catch {
    return "embedded";
  }
}
const KIND = await databaseKind();
const base = readFileSync(path.resolve(import.meta.dirname, "../fixtures/wasm/hello-c.wasm"));

const database = await createTestDatabase(KIND);
const pool = await WorkerPool.create();
const moduleCache = new ModuleCache();
const live = createLiveDeployments({ db: database.db, pollMs: 60_000, discoverRoutes: createExportedRouteDiscovery(pool, moduleCache) });
const gateway = await createGateway({ resolve: live.resolve, pool, moduleCache, pathRouting: true });
await new Promise<void>((r) => gateway.server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`;

const account = await signUp({ email: "many@example.com", password: "correct horse battery", tenant: "many" });
const actor: Actor = { tenantId: account.tenantId, tenantName: account.tenantName, userId: account.userId, scope: "admin" };
const publishStarted = performance.now();
for (let i = 0; i < APPS; i++) {
  await createApp({ actor, input: { name: appName(i) } });
  const module = SHARED ? base : withCustomSection(base, `wasmcompute-bench-${i}`);
  await publishVersion({ actor, appName: appName(i), input: { version: "1.0.0", module: new Uint8Array(module), files: [] } });
  await deployVersion({ actor, appName: appName(i), input: { version: "1.0.0" } });
}
const publishSeconds = (performance.now() - publishStarted) / 1000;
await live.refresh();

const requests = sequentialGetter(`${url}/many/`);
const get = (app: string) => requests.get(`${app}/`);

// Warm the process (JIT, workers, database connections) on app 0 and the resolve step on app 1.
for (let i = 0; i < 50; i++) await get(appName(0));
const resolveTimes: number[] = [];
for (let i = 1; i < Math.min(APPS, 100); i++) {
  const started = performance.now();
  await live.resolve("many", appName(i), "/");
  resolveTimes.push(performance.now() - started);
}
// The apps above now have their deployment cached: cold requests start past them.
const rssBefore = rssMiB();
const cold: number[] = [];
const warm: number[] = [];
for (let i = 100; i < APPS; i++) {
  cold.push(await get(appName(i)));
  warm.push(await get(appName(i)));
}
const rssAfter = rssMiB();

requests.close();
await gateway.close();
live.close();
await pool.close();
await database.close();

const fmt = (n: number) => n.toFixed(2);
console.log(`\n${APPS} apps from the ${KIND} database (hello-c, ${SHARED ? "one module shared" : "distinct hashes"}; published in ${publishSeconds.toFixed(0)} s), ${pool.size} guest workers, ${os.availableParallelism()} cores`);
console.table([
  { step: "resolve alone (rows, env, blob read, exports), cold app", "p50 ms": fmt(pct(resolveTimes, 50)), "p99 ms": fmt(pct(resolveTimes, 99)) },
  { step: "first request to a cold app", "p50 ms": fmt(pct(cold, 50)), "p99 ms": fmt(pct(cold, 99)) },
  { step: "next request to the same app (warm)", "p50 ms": fmt(pct(warm, 50)), "p99 ms": fmt(pct(warm, 99)) },
]);
console.log(`gateway process RSS: ${rssBefore.toFixed(0)} MiB before, ${rssAfter.toFixed(0)} MiB after ${cold.length} cold apps`);
reportFigure({ name: `database gateway: cold app first request p50 (${KIND}${SHARED ? ", one module" : ""})`, value: pct(cold, 50), unit: "ms" });
reportFigure({ name: `database gateway: cold app ÷ warm app, first-request p50 (${KIND}${SHARED ? ", one module" : ""})`, value: pct(cold, 50) / pct(warm, 50), unit: "×" });
