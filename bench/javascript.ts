/**
 * A JavaScript hello (the QuickJS engine module + _worker.js, lib/javascript) against the C hello
 * (fixtures/wasm/hello-c.wasm), both through the same gateway, loaded the same way in the same
 * run; rounds alternate JS / C so that background load hits both alike. Prints JS req/s ÷ C req/s
 * (all rounds, interleaved) and what one JS request costs in-process (instantiate + run, fresh instance).
 *
 *   BENCH_SECONDS per round (default 3), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 32)
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { JS_ENGINE_PATH, JS_WORKER_FILE } from "../lib/javascript/js-app";
import { APP_FILES_PATH, runWagi, takeSnapshot } from "../lib/wasm";
import { MemFs } from "../lib/wasm/mem-fs";
import { createFolderRegistry } from "../lib/runtime/folder-registry";
import { createGateway } from "../lib/runtime/gateway";
import { prepareModule } from "../lib/runtime/module-cache";
import { MemoryPool, RECYCLED_MEMORY_IMPORT } from "../lib/runtime/recycled-memory";
import { WorkerPool } from "../lib/runtime/worker-pool";
import { reportFigure } from "./lib/figures";
import { percentile, runLoad } from "./lib/load";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ROOT = path.resolve(import.meta.dirname, "..");
const HELLO_JS = `export default { fetch: () => new Response("Hello, World!\\n") }`;

const dir = mkdtempSync(path.join(os.tmpdir(), "bench-javascript-"));
mkdirSync(path.join(dir, "bench", "hello-c"), { recursive: true });
copyFileSync(path.join(ROOT, "fixtures/wasm/hello-c.wasm"), path.join(dir, "bench", "hello-c", "module.wasm"));
mkdirSync(path.join(dir, "bench", "hello-js", "files"), { recursive: true });
copyFileSync(path.join(ROOT, JS_ENGINE_PATH), path.join(dir, "bench", "hello-js", "module.wasm"));
writeFileSync(path.join(dir, "bench", "hello-js", "files", JS_WORKER_FILE), HELLO_JS);

const pool = await WorkerPool.create({});
const registry = createFolderRegistry({ dir, ttlMs: 60_000 });
const gateway = await createGateway({ resolve: registry.resolve, pool, pathRouting: true });
const base = await new Promise<string>((resolve) =>
  gateway.server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`)),
);
const targets = { js: `${base}/bench/hello-js/`, c: `${base}/bench/hello-c/` };
for (const url of Object.values(targets)) {
  for (let i = 0; i < 200; i++) {
    const res = await fetch(url);
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  }
}

const rounds: { js: number; c: number }[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const js = await runLoad({ url: targets.js, seconds: SECONDS, connections: CONNECTIONS });
  const c = await runLoad({ url: targets.c, seconds: SECONDS, connections: CONNECTIONS });
  rounds.push({ js: js.reqPerSec, c: c.reqPerSec });
  console.log(`round ${r + 1} (${js.tool}): JS ${js.reqPerSec.toFixed(0)} req/s, C ${c.reqPerSec.toFixed(0)} req/s, ratio ${(js.reqPerSec / c.reqPerSec).toFixed(3)}, non-200 or failed: JS ${js.errors}, C ${c.errors}`);
}
// All rounds together: the rounds interleave, so both servers saw the same background load.
const ratio = rounds.reduce((n, r) => n + r.js, 0) / rounds.reduce((n, r) => n + r.c, 0);

// One JS request in this thread, the way a gateway worker runs it: the engine compiled once
// (prepareModule's rewrites), a fresh instance per request on a recycled memory; loading the script
// per request, and starting from a snapshot with it loaded (lib/wasm/snapshot.ts).
const prepared = await prepareModule(readFileSync(path.join(ROOT, JS_ENGINE_PATH)));
const engine = prepared.module;
const files = MemFs.fromEntries({ [JS_WORKER_FILE]: HELLO_JS }, { readOnly: true });
const memories = new MemoryPool();
const memoryImport = (memory: WebAssembly.Memory) => ({ [RECYCLED_MEMORY_IMPORT.module]: { [RECYCLED_MEMORY_IMPORT.name]: memory } });
const loadShape = prepared.memory!;
const initMemory = memories.acquire(loadShape);
const taken = takeSnapshot({ module: engine, extraImports: memoryImport(initMemory), preopens: { [APP_FILES_PATH]: files } });
if (!("snapshot" in taken)) throw new Error(`no snapshot of the JS hello: ${taken.declined}`);
const snapshot = taken.snapshot;
const snapshotShape = { ...loadShape, initialPages: snapshot.pages };
const request = { method: "GET", url: "http://localhost/", headers: [] as [string, string][], body: new Uint8Array(), remoteAddr: "127.0.0.1", route: "/..." };
function inProcess(fromSnapshot: boolean): number[] {
  const samples: number[] = [];
  const shape = fromSnapshot ? snapshotShape : loadShape;
  for (let i = 0; i < 600; i++) {
    const t = performance.now();
    const memory = memories.acquire(shape);
    const result = runWagi({ module: engine, request, files, extraImports: memoryImport(memory), ...(fromSnapshot ? { snapshot } : {}) });
    if (i >= 100) samples.push((performance.now() - t) * 1000);
    memories.release(shape, memory); // zeroed off the request's path, as in the gateway
    if (result.status !== 200) throw new Error(`in-process JS hello: ${result.status} ${result.stderr}`);
  }
  return samples.sort((a, b) => a - b);
}
const loading = inProcess(false);
const snapshotted = inProcess(true);

console.table({
  "JS hello ÷ C hello, req/s": ratio.toFixed(3),
  "JS in-process from a snapshot p50 / p99 µs": `${percentile(snapshotted, 50).toFixed(0)} / ${percentile(snapshotted, 99).toFixed(0)}`,
  "JS in-process loading the script p50 / p99 µs": `${percentile(loading, 50).toFixed(0)} / ${percentile(loading, 99).toFixed(0)}`,
  "snapshot restored per request": `${(snapshot.bytes / 1024).toFixed(0)} KiB in ${snapshot.runs.length} runs, memory ${snapshot.pages} pages`,
});
reportFigure({ name: "gateway JS hello ÷ hello-c, req/s (all rounds, interleaved)", value: ratio, unit: "×" });
reportFigure({ name: "JS hello instantiate + run in-process p50, from a snapshot", value: percentile(snapshotted, 50), unit: "µs" });
reportFigure({ name: "JS hello instantiate + run in-process p50, loading the script", value: percentile(loading, 50), unit: "µs" });

await gateway.close();
await pool.close();
rmSync(dir, { recursive: true, force: true });
http.globalAgent.destroy();
