/**
 * How a worker should get a module it does not have: post the compiled WebAssembly.Module
 * (compiled once in the parent, shared code) or post the bytes (each worker compiles). Cold:
 * a new version reaching every worker; warm: a job for a module the worker already holds
 * (only the hash travels, the same in both modes).
 *
 *   BENCH_VERSIONS (default 20)
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { hashModule, ModuleCache } from "../lib/runtime/module-cache";
import { WorkerPool, type ModuleTransfer, type PoolJob } from "../lib/runtime/worker-pool";
import { percentile } from "./lib/load";

const VERSIONS = Number(process.env.BENCH_VERSIONS ?? 20);
const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/wasm");

/** A distinct version of the same code: a custom section changes the hash, not the code. */
function variant(bytes: Uint8Array, n: number): Uint8Array {
  const name = new TextEncoder().encode(`v${n}`);
  const section = new Uint8Array([0, name.length + 1, name.length, ...name]);
  const out = new Uint8Array(bytes.length + section.length);
  out.set(bytes);
  out.set(section, bytes.length);
  return out;
}

function job(bytes: Uint8Array, hash: string, cache: ModuleCache): PoolJob {
  return {
    moduleHash: hash,
    getModule: () => cache.get(hash, () => bytes),
    getBytes: async () => bytes,
    deadlineMs: 10_000,
    input: {
      request: { method: "GET", url: "http://localhost/", headers: [], body: new Uint8Array(), remoteAddr: "", route: "/..." },
      entrypoint: "_start",
      env: {},
      maxResponseBytes: 1 << 20,
    },
  };
}

async function measure(mode: ModuleTransfer, fixture: string) {
  const base = new Uint8Array(readFileSync(path.join(FIXTURES, `${fixture}.wasm`)));
  const pool = await WorkerPool.create({ transfer: mode });
  const cache = new ModuleCache();
  const cold: number[] = [];
  for (let v = 0; v < VERSIONS; v++) {
    const bytes = variant(base, v);
    const hash = hashModule(bytes);
    // One request per worker at once: every worker misses this version.
    const t = performance.now();
    const outcomes = await Promise.all(Array.from({ length: pool.size }, () => pool.run(job(bytes, hash, cache))));
    cold.push(performance.now() - t);
    if (outcomes.some((o) => o.kind !== "ok" || o.result.status !== 200)) throw new Error(`${fixture}: a cold run failed`);
  }
  const bytes = variant(base, 0);
  const hash = hashModule(bytes);
  const warm: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t = performance.now();
    await pool.run(job(bytes, hash, cache));
    warm.push(performance.now() - t);
  }
  await pool.close();
  cold.sort((a, b) => a - b);
  warm.sort((a, b) => a - b);
  return {
    module: `${fixture} (${(base.length / 1024).toFixed(0)} KB)`,
    transfer: mode,
    "cold p50 ms": percentile(cold, 50).toFixed(2),
    "cold max ms": cold[cold.length - 1]!.toFixed(2),
    "warm p50 µs": (percentile(warm, 50) * 1000).toFixed(0),
    "warm p99 µs": (percentile(warm, 99) * 1000).toFixed(0),
  };
}

const rows = [];
for (const fixture of ["hello-wat", "hello-c", "hello-rust"]) {
  for (const mode of ["module", "bytes"] as const) rows.push(await measure(mode, fixture));
}
console.log(
  `\nModule transfer to workers — ${VERSIONS} new versions each reaching every worker (cold), then 2000 ` +
    `sequential jobs (warm); ${os.availableParallelism()} cores`,
);
console.table(rows);
