/**
 * 1,000 deployed apps in one gateway: memory, and the first request to a cold app (never served
 * by this process: resolve, validate, compile) beside the next request to the same app (warm),
 * and a revisit after the other apps pushed it out of the compiled-module cache.
 * Each app is hello-c with its own custom section, so every module has its own hash and nothing
 * is shared between apps in the caches.
 *
 *   BENCH_APPS (default 10,000: issue #18's goal is 10,000 apps in ≤ 1 GiB, a cold app ≤ 5 ms p50)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { createFolderRegistry } from "../lib/runtime/folder-registry";
import { createGateway } from "../lib/runtime/gateway";
import { WorkerPool } from "../lib/runtime/worker-pool";
import { reportFigure } from "./lib/figures";
import { appName, pct, rssMiB, sequentialGetter, withCustomSection } from "./lib/many-apps";

const APPS = Number(process.env.BENCH_APPS ?? 10_000);
const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/wasm");

const base = readFileSync(path.join(FIXTURES, "hello-c.wasm"));
const dir = mkdtempSync(path.join(os.tmpdir(), "bench-many-apps-"));
for (let i = 0; i < APPS; i++) {
  mkdirSync(path.join(dir, "bench", appName(i)), { recursive: true });
  writeFileSync(path.join(dir, "bench", appName(i), "module.wasm"), withCustomSection(base, `wasmcompute-bench-${i}`));
}

const pool = await WorkerPool.create();
const registry = createFolderRegistry({ dir, ttlMs: 600_000 });
const gateway = await createGateway({ resolve: registry.resolve, pool, pathRouting: true });
const url = await new Promise<string>((resolve) =>
  gateway.server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`)),
);
const requests = sequentialGetter(`${url}/bench/`);
const get = (app: string) => requests.get(`${app}/`);

// Warm the process itself (JIT, worker start-up) on a module that is not one of the apps.
for (let i = 0; i < 50; i++) await get(appName(0));
const rssBefore = rssMiB();

const cold: number[] = [];
const warm: number[] = [];
for (let i = 1; i < APPS; i++) {
  cold.push(await get(appName(i)));
  warm.push(await get(appName(i)));
}
const rssAfter = rssMiB();
const heapAfter = process.memoryUsage();
const revisit: number[] = [];
for (let i = 1; i < Math.min(APPS, 200); i++) revisit.push(await get(appName(i)));

requests.close();
await gateway.close();
await pool.close();
rmSync(dir, { recursive: true, force: true });

const fmt = (n: number) => n.toFixed(2);
console.log(`\n${APPS} apps in one gateway (hello-c, ${base.length} bytes each, distinct hashes), ${pool.size} guest workers, ${os.availableParallelism()} cores`);
console.table([
  { request: "first request to a cold app", "p50 ms": fmt(pct(cold, 50)), "p99 ms": fmt(pct(cold, 99)) },
  { request: "next request to the same app (warm)", "p50 ms": fmt(pct(warm, 50)), "p99 ms": fmt(pct(warm, 99)) },
  { request: "revisit after the other apps were served", "p50 ms": fmt(pct(revisit, 50)), "p99 ms": fmt(pct(revisit, 99)) },
]);
console.log(`gateway process RSS: ${rssBefore.toFixed(0)} MiB before, ${rssAfter.toFixed(0)} MiB with ${APPS - 1} apps served (${(((rssAfter - rssBefore) * 1024) / (APPS - 1)).toFixed(0)} KiB per app)`);
console.log(
  `  main thread then: V8 heap used ${(heapAfter.heapUsed / 2 ** 20).toFixed(0)} MiB, external ${(heapAfter.external / 2 ** 20).toFixed(0)} MiB (array buffers ${(heapAfter.arrayBuffers / 2 ** 20).toFixed(0)} MiB)`,
);
reportFigure({ name: `cold app ÷ warm app, first-request p50 (${APPS} apps)`, value: pct(cold, 50) / pct(warm, 50), unit: "×" });
reportFigure({ name: "cold app first request p50", value: pct(cold, 50), unit: "ms", goal: "≤ 5" });
reportFigure({ name: `gateway RSS with ${APPS} apps served`, value: rssAfter, unit: "MiB", goal: "≤ 1024" });
