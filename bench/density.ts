/**
 * Density and cold start: N apps in one gateway process against the process-per-app model (one
 * minimal Node HTTP process per app, the smallest form of the container/VM-per-app model: a real
 * container or Firecracker microVM adds its own runtime on top). Measured here on N apps, extrapolated
 * to apps per GiB (docs/thesis.md).
 *
 * Memory is PSS (proportional set size: shared pages split between the processes that map them), so
 * the process model is not charged N times for node's shared code; the gateway is one process, so
 * its PSS is its RSS minus what it shares with nothing else.
 *
 *   BENCH_GATEWAY_APPS (default 1000), BENCH_APPS: Node processes (default 100)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { createFolderRegistry } from "../lib/runtime/folder-registry";
import { createGateway } from "../lib/runtime/gateway";
import { WorkerPool } from "../lib/runtime/worker-pool";
import { reportFigure } from "./lib/figures";
import { percentile } from "./lib/load";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Apps in the gateway (many: per-app memory is small beside the heap's noise) and Node processes. */
const GATEWAY_APPS = Number(process.env.BENCH_GATEWAY_APPS ?? 1000);
const APPS = Number(process.env.BENCH_APPS ?? 100);
// A full collection before each memory reading, so garbage does not count as apps.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const HELLO = readFileSync(path.resolve(import.meta.dirname, "../fixtures/wasm/hello-c.wasm"));

/** Proportional set size of a process, MiB (Linux). */
function pssMiB(pid: number): number {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  return Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? Number.NaN) / 1024;
}

function get(url: string, agent?: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    http
      .get(url, { agent }, (res) => {
        res.resume();
        res.on("end", () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`${url}: HTTP ${res.statusCode}`))));
      })
      .on("error", reject);
  });
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const p50 = (xs: number[]) => percentile(sorted(xs), 50);

// ── The gateway: N apps (hello-c, each with distinct bytes so nothing is shared in its caches).
const dir = mkdtempSync(path.join(os.tmpdir(), "bench-density-"));
for (let i = 0; i <= GATEWAY_APPS; i++) {
  mkdirSync(path.join(dir, "bench", `app-${i}`), { recursive: true });
  const name = new TextEncoder().encode(`density-${i}`);
  writeFileSync(path.join(dir, "bench", `app-${i}`, "module.wasm"), new Uint8Array([...HELLO, 0, name.length + 1, name.length, ...name]));
}
const pool = await WorkerPool.create();
const gateway = await createGateway({ resolve: createFolderRegistry({ dir, ttlMs: 600_000 }).resolve, pool, pathRouting: true });
const gatewayUrl = await new Promise<string>((resolve) =>
  gateway.server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`)),
);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
for (let i = 0; i < 50; i++) await get(`${gatewayUrl}/bench/app-0/`, agent); // JIT and workers warm, on an app not counted
gc();
const gatewayBefore = pssMiB(process.pid);
const gatewayCold: number[] = [];
for (let i = 1; i <= GATEWAY_APPS; i++) gatewayCold.push(await get(`${gatewayUrl}/bench/app-${i}/`, agent));
gc();
const gatewayAfter = pssMiB(process.pid);
agent.destroy();
await gateway.close();
await pool.close();
rmSync(dir, { recursive: true, force: true });

// ── One minimal Node process per app: spawn → first 200 is its cold start.
const SERVER = `const s = require("node:http").createServer((q, r) => { r.writeHead(200, { "content-type": "text/plain" }); r.end("hello\\n"); });
s.listen(0, "127.0.0.1", () => console.log(s.address().port));`;
const children: ChildProcess[] = [];
const processCold: number[] = [];
try {
  for (let i = 0; i < APPS; i++) {
    const started = performance.now();
    const child = spawn(process.execPath, ["-e", SERVER], { stdio: ["ignore", "pipe", "inherit"] });
    children.push(child);
    const port = await new Promise<string>((resolve) => child.stdout!.once("data", (d: Buffer) => resolve(d.toString().trim())));
    await get(`http://127.0.0.1:${port}/`);
    processCold.push(performance.now() - started);
  }
  const processPss = children.map((c) => pssMiB(c.pid!));
  const perProcess = processPss.reduce((a, b) => a + b, 0) / APPS;
  const perGatewayApp = (gatewayAfter - gatewayBefore) / GATEWAY_APPS;
  const gatewayAppsPerGiB = (1024 - gatewayBefore) / perGatewayApp;
  const processAppsPerGiB = 1024 / perProcess;

  console.log(`\n${GATEWAY_APPS} apps in one gateway process vs ${APPS} Node processes, one per app (PSS, ${os.availableParallelism()} cores)`);
  console.table([
    { model: "gateway (hello-c wasm, fresh instance per request)", "base MiB": gatewayBefore.toFixed(0), "MiB per app": perGatewayApp.toFixed(3), "apps per GiB": Math.round(gatewayAppsPerGiB), "cold start p50 ms": p50(gatewayCold).toFixed(2) },
    { model: "process per app (minimal node:http, JS hello)", "base MiB": "0", "MiB per app": perProcess.toFixed(1), "apps per GiB": Math.round(processAppsPerGiB), "cold start p50 ms": p50(processCold).toFixed(0) },
  ]);
  console.log(
    "The gateway keeps at most 256 compiled modules (lib/runtime/module-cache.ts); past that, memory per app is what it " +
      "remembers of an app, and an app pushed out pays its cold start again (bench/many-apps.ts: revisit).",
  );
  reportFigure({ name: "apps per GiB: gateway ÷ process per app", value: gatewayAppsPerGiB / processAppsPerGiB, unit: "×" });
  reportFigure({ name: "cold start: process per app ÷ gateway cold app, p50", value: p50(processCold) / p50(gatewayCold), unit: "×" });
  reportFigure({ name: "memory per app in the gateway", value: perGatewayApp * 1024, unit: "KiB" });
  reportFigure({ name: "memory per minimal Node process (PSS)", value: perProcess, unit: "MiB" });
} finally {
  for (const c of children) c.kill();
}
