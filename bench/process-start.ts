/**
 * Process start → first 200: a gateway process spawned from nothing until it answers a hello-c
 * request, against a plain node:http hello world spawned the same way in the same run (interleaved
 * rounds, ratio per round, median). The gateway runs as `npm start` runs it, from the server bundle
 * (scripts/bundle-server.mjs), and, for comparison, from its TypeScript sources through tsx as it
 * did before. It serves a folder (DEPLOYMENTS_DIR): the database adds its own connection time.
 *
 *   BENCH_START_ROUNDS (default 7)
 *   BENCH_START_BASELINE  another bundle's gateway.js (say, main's: `git archive main | tar -x -C dir`,
 *                         node_modules linked in, `node scripts/bundle-server.mjs` there), started in
 *                         the same rounds: before and after a change in one session
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { freePort } from "../lib/testing/platform";
import { reportFigure } from "./lib/figures";
import { percentile } from "./lib/load";

const ROUNDS = Number(process.env.BENCH_START_ROUNDS ?? 7);
const ROOT = path.resolve(import.meta.dirname, "..");

execFileSync(process.execPath, [path.join(ROOT, "scripts", "bundle-server.mjs")], { stdio: "inherit" });
const dir = mkdtempSync(path.join(os.tmpdir(), "bench-process-start-"));
mkdirSync(path.join(dir, "bench", "hello"), { recursive: true });
writeFileSync(path.join(dir, "bench", "hello", "module.wasm"), readFileSync(path.join(ROOT, "fixtures", "wasm", "hello-c.wasm")));

const PLAIN = `require("node:http").createServer((q, r) => r.end("hello\\n")).listen(Number(process.env.PORT), "127.0.0.1");`;
const gatewayEnv = { DEPLOYMENTS_DIR: dir, GATEWAY_PATH_ROUTING: "on", GATEWAY_LOG: "off", GATEWAY_PROCESSES: "1" };
const targets = [
  { name: "plain node:http", args: ["-e", PLAIN], path: "/" },
  { name: "gateway (bundle)", args: ["--enable-source-maps", path.join(ROOT, "dist", "server", "gateway.js")], path: "/bench/hello/" },
  { name: "gateway (tsx)", args: ["--import", "tsx", path.join(ROOT, "scripts", "gateway.ts")], path: "/bench/hello/" },
];
const BASELINE = process.env.BENCH_START_BASELINE;
if (BASELINE) targets.push({ name: "gateway (baseline)", args: ["--enable-source-maps", path.resolve(BASELINE)], path: "/bench/hello/" });

/** The status of one GET on a connection of its own, or 0 when nothing listens yet. */
function status(port: number, urlPath: string): Promise<number> {
  return new Promise((resolve) => {
    http
      .get({ host: "127.0.0.1", port, path: urlPath, agent: false }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      })
      .on("error", () => resolve(0));
  });
}

/**
 * CPU time (ms) of a process's threads so far (Linux), or NaN. On shared cores under load the wall
 * time mostly says what else ran; this says what the process spent.
 */
function cpuMs(pid: number | undefined): number {
  try {
    return readdirSync(`/proc/${pid}/task`).reduce((sum, task) => sum + Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]) / 1e6, 0);
  } catch {
    return Number.NaN;
  }
}

/** Milliseconds from spawn to the first 200, and the process's CPU time by then. */
async function startToFirst200(target: (typeof targets)[number]): Promise<{ ms: number; cpuMs: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, target.args, {
    cwd: ROOT,
    env: { ...process.env, ...gatewayEnv, PORT: String(port), GATEWAY_PORT: String(port) },
    stdio: "ignore",
  });
  try {
    while ((await status(port, target.path)) !== 200) {
      if (child.exitCode !== null) throw new Error(`${target.name} exited (${child.exitCode})`);
      if (performance.now() - started > 60_000) throw new Error(`${target.name} did not answer within 60 s`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return { ms: performance.now() - started, cpuMs: cpuMs(child.pid) };
  } finally {
    child.kill("SIGKILL");
    await new Promise((r) => (child.exitCode === null && child.signalCode === null ? child.once("exit", r) : r(null)));
  }
}

await status(1, "/"); // the bench's own HTTP client warm, so it does not count against the first target
const times = new Map(targets.map((t) => [t.name, [] as number[]]));
const cpu = new Map(targets.map((t) => [t.name, [] as number[]]));
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const target of targets) {
      const { ms, cpuMs } = await startToFirst200(target);
      times.get(target.name)!.push(ms);
      cpu.get(target.name)!.push(cpuMs);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
/** Median over rounds of a target's time ÷ plain node's in the same round. */
const ratio = (name: string) => median(times.get(name)!.map((t, i) => t / times.get(targets[0]!.name)![i]!));
console.log(`\nProcess start → first 200, ${ROUNDS} interleaved rounds (${os.availableParallelism()} cores)`);
console.table(
  targets.map((t) => ({
    process: t.name,
    "p50 ms": median(times.get(t.name)!).toFixed(0),
    "÷ plain node (median of rounds)": ratio(t.name).toFixed(2),
    "CPU until the first 200, p50 ms": median(cpu.get(t.name)!).toFixed(0),
  })),
);
reportFigure({ name: "process start → first 200, gateway ÷ plain node", value: ratio("gateway (bundle)"), unit: "×", goal: "≤ 2" });
reportFigure({ name: "process start → first 200, gateway (bundle)", value: median(times.get("gateway (bundle)")!), unit: "ms" });
reportFigure({ name: "process start → first 200, gateway under tsx (before the bundle)", value: median(times.get("gateway (tsx)")!), unit: "ms" });
