/**
 * Gateway throughput against a plain node:http hello world, loaded the same way in the same run.
 * Rounds alternate plain / gateway so that background load hits both alike; the table shows
 * each server's median round.
 *
 *   BENCH_SECONDS per round (default 3), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 32),
 *   BENCH_WORKERS (default: cores, at least 2), BENCH_PIPELINE (jobs queued per worker, default: the pool's, 8)
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { runWagi } from "../lib/wasm";
import { prepareModule } from "../lib/runtime/module-cache";
import { MemoryPool, RECYCLED_MEMORY_IMPORT } from "../lib/runtime/recycled-memory";
import { createFolderRegistry } from "../lib/runtime/folder-registry";
import { createGateway } from "../lib/runtime/gateway";
import { WorkerPool, type PoolOutcome } from "../lib/runtime/worker-pool";
import { reportFigure } from "./lib/figures";
import { percentile, runLoad, type LoadResult } from "./lib/load";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const WORKERS = process.env.BENCH_WORKERS ? Number(process.env.BENCH_WORKERS) : undefined;
const PIPELINE = process.env.BENCH_PIPELINE ? Number(process.env.BENCH_PIPELINE) : undefined;
const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/wasm");
const MODULES = ["hello-wat", "hello-c"];

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

const close = (server: http.Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

async function warm(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) await fetch(url).then((r) => r.arrayBuffer());
}

const REQUEST = {
  method: "GET",
  url: "http://localhost/",
  headers: [["user-agent", "bench"]] as [string, string][],
  body: new Uint8Array(),
  remoteAddr: "127.0.0.1",
  route: "/...",
};

/**
 * Latency percentiles of `run`, and its mean CPU cost: the mean counts what percentiles hide,
 * the garbage collections (on V8's helper threads too) that the runs' allocations cause.
 */
function sample(run: () => { status: number }, iterations = 20_000): { p50: number; p99: number; cpuMean: number } {
  for (let i = 0; i < 300; i++) run();
  const samples: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    const result = run();
    samples.push((performance.now() - t) * 1000);
    if (result.status !== 200) throw new Error(`status ${result.status}`);
  }
  const used = process.cpuUsage(cpu);
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), cpuMean: (used.user + used.system) / iterations };
}

/** Instantiate + run of a cached compiled module in this thread, in microseconds. */
async function measureInProcess(name: string) {
  const bytes = readFileSync(path.join(FIXTURES, `${name}.wasm`));
  const module = new WebAssembly.Module(bytes);
  const fresh = sample(() => runWagi({ module, request: REQUEST }));
  const prepared = await prepareModule(bytes);
  const memories = new MemoryPool();
  const recycled = sample(() => {
    const memory = prepared.memory ? memories.acquire(prepared.memory) : undefined;
    const extraImports: WebAssembly.Imports = memory ? { [RECYCLED_MEMORY_IMPORT.module]: { [RECYCLED_MEMORY_IMPORT.name]: memory } } : {};
    const result = runWagi({ module: prepared.module, extraImports, request: REQUEST });
    if (memory && prepared.memory) memories.release(prepared.memory, memory);
    return result;
  });
  return { fresh, recycled };
}

interface Round extends LoadResult {
  /** CPU time of this process (all threads: main + guest workers) per request, in µs. */
  cpuUsPerReq: number;
  /** The part of it spent on the main thread (HTTP, routing, posting to workers), in µs; NaN off Linux. */
  mainUsPerReq: number;
}

/** CPU ticks (user + system) of this process's main thread, read from /proc (Linux only). */
function mainThreadTicks(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return Number.NaN;
  }
}
// Linux reports thread CPU in clock ticks of 10 ms (USER_HZ = 100 on every common build).
const TICK_US = 10_000;
const threadCount = () => {
  try {
    return readdirSync("/proc/self/task").length;
  } catch {
    return Number.NaN;
  }
};

/** One load round, with the server's CPU cost: robust to other load on the machine. */
async function round(url: string): Promise<Round> {
  const before = process.cpuUsage();
  const mainBefore = mainThreadTicks();
  const result = await runLoad({ url, seconds: SECONDS, connections: CONNECTIONS });
  const cpu = process.cpuUsage(before);
  return {
    ...result,
    cpuUsPerReq: (cpu.user + cpu.system) / result.requests,
    mainUsPerReq: ((mainThreadTicks() - mainBefore) * TICK_US) / result.requests,
  };
}

function median<T extends LoadResult>(results: T[]): T {
  return [...results].sort((a, b) => a.reqPerSec - b.reqPerSec)[Math.floor(results.length / 2)]!;
}

const plain = http.createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/plain" });
  res.end("hello from node\n");
});
const plainUrl = await listen(plain);

const dir = mkdtempSync(path.join(os.tmpdir(), "bench-gateway-"));
for (const name of MODULES) {
  mkdirSync(path.join(dir, "bench", name), { recursive: true });
  copyFileSync(path.join(FIXTURES, `${name}.wasm`), path.join(dir, "bench", name, "module.wasm"));
}
const pool = await WorkerPool.create({ size: WORKERS, pipeline: PIPELINE });
// A long TTL: the bench measures serving, not re-checking the folder.
const registry = createFolderRegistry({ dir, ttlMs: 60_000 });
const gateway = await createGateway({ resolve: registry.resolve, pool, pathRouting: true });
const gatewayUrl = await listen(gateway.server);

// The gateway with the guest left out: its pool answers at once without a worker. This row is
// the ceiling for the whole design on this machine (HTTP, routing, logging fields, no thread hop,
// no wasm), so the distance from it to the real rows is what the hop and the guest cost.
const cannedBody = new TextEncoder().encode("hello from no guest\n");
const noGuestPool = {
  size: 0,
  run: async (): Promise<PoolOutcome> => ({
    kind: "ok",
    wallMs: 0,
    result: { status: 200, headers: [["content-type", "text/plain"]], body: cannedBody, stderr: "", exitCode: 0, memoryBytes: 0, logs: [], runMs: 0, moduleMiss: false },
  }),
  stats: () => pool.stats(),
  close: async () => {},
} as unknown as WorkerPool;
const noGuest = await createGateway({ resolve: registry.resolve, pool: noGuestPool, pathRouting: true });
const noGuestUrl = await listen(noGuest.server);

const targets = [
  { name: "plain node:http", url: plainUrl },
  { name: "gateway, guest not run", url: `${noGuestUrl}/bench/hello-wat/` },
  ...MODULES.map((name) => ({ name: `gateway ${name}`, url: `${gatewayUrl}/bench/${name}/` })),
];
for (const target of targets) await warm(target.url);
const results = new Map<string, Round[]>(targets.map((t) => [t.name, []]));
for (let i = 0; i < ROUNDS; i++) {
  for (const target of targets) {
    results.get(target.name)!.push(await round(target.url));
  }
}
await close(plain);
await noGuest.close();
await gateway.close();
await pool.close();
rmSync(dir, { recursive: true, force: true });

const rows = targets.map((t) => ({ name: t.name, result: median(results.get(t.name)!), all: results.get(t.name)! }));
const base = rows[0]!.result.reqPerSec;
const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
console.log(
  `\nGateway vs plain node:http — ${rows[0]!.result.tool}, ${ROUNDS} alternating rounds of ${SECONDS}s, ` +
    `${CONNECTIONS} connections, ${pool.size} guest workers, ${os.availableParallelism()} cores`,
);
console.table(
  rows.map(({ name, result, all }) => ({
    server: name,
    "req/s": Math.round(result.reqPerSec),
    "p50 ms": fmt(result.p50Ms),
    "p99 ms": fmt(result.p99Ms),
    errors: all.reduce((n, r) => n + r.errors, 0),
    "÷ plain": fmt(result.reqPerSec / base),
    rounds: all.map((r) => Math.round(r.reqPerSec)).join(" "),
    "CPU µs/req": fmt(median(all.map((r) => ({ ...r, reqPerSec: r.cpuUsPerReq }))).cpuUsPerReq, 0),
    "main thread µs/req": fmt(median(all.map((r) => ({ ...r, reqPerSec: r.mainUsPerReq }))).mainUsPerReq, 0),
  })),
);
console.log(
  `CPU µs/req counts every thread of this process (${threadCount()} now: main, guest workers, V8's GC helpers); ` +
    "the plain server is in this process too, so its rows have only the main thread busy",
);

console.log("Instantiate + run in-process, µs (cached compiled module, fresh instance per run)");
const inProcess = [];
for (const name of MODULES) {
  const { fresh, recycled } = await measureInProcess(name);
  inProcess.push({
    module: name,
    "fresh memory p50": fmt(fresh.p50, 1),
    "fresh memory p99": fmt(fresh.p99, 1),
    "recycled memory p50": fmt(recycled.p50, 1),
    "recycled memory p99": fmt(recycled.p99, 1),
    "recycled memory, mean CPU": fmt(recycled.cpuMean, 1),
  });
}
console.table(inProcess);

const guestRows = rows.filter((r) => r.name.startsWith("gateway hello"));
const worst = Math.min(...guestRows.map((r) => r.result.reqPerSec / base));
const ceiling = rows.find((r) => r.name === "gateway, guest not run")!.result.reqPerSec / base;
const cpu = (name: string) => median(results.get(name)!.map((r) => ({ ...r, reqPerSec: r.cpuUsPerReq }))).cpuUsPerReq;
const cpuRatio = Math.min(...MODULES.map((m) => cpu("plain node:http") / cpu(`gateway ${m}`)));
console.log(`ratio gateway ÷ plain node (worst module, medians): ${fmt(worst)} (goal ≥ 0.5)`);
reportFigure({ name: "gateway hello ÷ plain node:http, req/s (worst module)", value: worst, unit: "×", goal: "≥ 0.40 (0.5 the aim)" });
reportFigure({ name: "gateway with the guest not run ÷ plain node:http, req/s (the ceiling)", value: ceiling, unit: "×" });
reportFigure({ name: "server CPU per request, plain ÷ gateway", value: cpuRatio, unit: "×" });
const helloC = inProcess.find((r) => r.module === "hello-c");
if (helloC) {
  reportFigure({ name: "instantiate + run hello-c in-process p50", value: Number(helloC["recycled memory p50"]), unit: "µs", goal: "≤ 12" });
  reportFigure({ name: "instantiate + run hello-c in-process p99", value: Number(helloC["recycled memory p99"]), unit: "µs" });
}
console.log(
  `server CPU per request (all threads), plain ÷ gateway (worst module): ${fmt(cpuRatio)} — an efficiency ` +
    "figure that other load on the machine barely moves; plain node uses one thread, the gateway spreads " +
    "its CPU over the main thread and the guest workers",
);
