/**
 * HTTP load from a second process with Debian's `wrk` when installed; otherwise a small
 * keep-alive load generator in this process (less accurate: it shares the CPU with us).
 */
import { spawn, spawnSync } from "node:child_process";
import http from "node:http";

export interface LoadResult {
  tool: "wrk" | "node";
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

export interface LoadOptions {
  url: string;
  seconds: number;
  connections: number;
  threads?: number;
}

export function hasWrk(): boolean {
  return spawnSync("wrk", ["--version"]).error === undefined;
}

function toMs(value: string, unit: string): number {
  const n = Number(value);
  switch (unit) {
    case "us":
      return n / 1000;
    case "ms":
      return n;
    case "s":
      return n * 1000;
    default:
      return Number.NaN;
  }
}

async function runWrk(options: LoadOptions): Promise<LoadResult> {
  const args = [
    `-t${options.threads ?? 1}`,
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    "--latency",
    options.url,
  ];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn("wrk", args);
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", () => resolve(out));
  });
  const latency = (pct: string) => {
    const m = new RegExp(`^\\s+${pct}%\\s+([\\d.]+)(us|ms|s)\\s*$`, "m").exec(output);
    return m ? toMs(m[1]!, m[2]!) : Number.NaN;
  };
  const requests = Number(/(\d+) requests in/.exec(output)?.[1] ?? Number.NaN);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const errors = non2xx + (socketErrors ? socketErrors.slice(1).reduce((n, v) => n + Number(v), 0) : 0);
  return {
    tool: "wrk",
    requests,
    reqPerSec: Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? Number.NaN),
    p50Ms: latency("50"),
    p99Ms: latency("99"),
    errors,
  };
}

async function runNode(options: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + options.seconds * 1000;
  const one = () =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      http
        .get(options.url, { agent }, (res) => {
          res.resume();
          res.on("end", () => {
            if (res.statusCode !== 200) errors++;
            latencies.push(performance.now() - started);
            resolve();
          });
        })
        .on("error", () => {
          errors++;
          resolve();
        });
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (performance.now() < deadline) await one();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? Number.NaN;
  return {
    tool: "node",
    requests: latencies.length,
    reqPerSec: latencies.length / elapsed,
    p50Ms: pct(50),
    p99Ms: pct(99),
    errors,
  };
}

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return hasWrk() ? runWrk(options) : runNode(options);
}

/**
 * Like runLoad, but the node load generator (no wrk) runs in a child process, so it never shares
 * a thread with a server under test in this process: for comparing this process with another one.
 */
export async function runLoadIsolated(options: LoadOptions): Promise<LoadResult> {
  if (hasWrk()) return runWrk(options);
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", import.meta.filename, JSON.stringify(options)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`load generator exited ${code}`))));
  });
  return JSON.parse(output) as LoadResult;
}

// As the child of runLoadIsolated: load the URL given as JSON options, print the result.
if (process.argv[1] === import.meta.filename && process.argv[2]) {
  console.log(JSON.stringify(await runNode(JSON.parse(process.argv[2]) as LoadOptions)));
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
