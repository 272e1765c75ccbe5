/**
 * The gateway beside the peer users would pick: Cloudflare's workerd (npm `workerd`) running the
 * same hello-c WASI module, with a fresh instance per request (isolation like ours) and reusing one
 * instance (no isolation between requests), plus a JS-only Worker and plain node:http, and the JS
 * Worker's handler as a JavaScript app of ours (issue #16). Rounds are
 * interleaved (each round runs every server once) so background load hits them alike; each ratio
 * is taken per round and the median printed (docs/performance.md, issue #18).
 *
 * workerd is not a project dependency: it is installed into a scratch folder at bench time from the
 * npm registry (BENCH_WORKERD=/path/to/workerd uses an installed binary). Load comes from Debian's
 * `wrk` when installed (apt-get install wrk), else from a node load generator in a child process.
 *
 *   BENCH_SECONDS per round (default 3), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 32)
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { createFolderRegistry } from "../lib/runtime/folder-registry";
import { createGateway } from "../lib/runtime/gateway";
import { WorkerPool } from "../lib/runtime/worker-pool";
import { JS_ENGINE_PATH, JS_WORKER_FILE } from "../lib/javascript/js-app";
import { freePort } from "../lib/testing/platform";
import { reportFigure } from "./lib/figures";
import { runLoadIsolated, type LoadResult } from "./lib/load";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const HELLO = path.resolve(import.meta.dirname, "../fixtures/wasm/hello-c.wasm");

/** The workerd binary: BENCH_WORKERD, else `npm install workerd` into `scratch`; null when neither works. */
function workerdBinary(scratch: string): string | null {
  if (process.env.BENCH_WORKERD) return process.env.BENCH_WORKERD;
  const npm = spawnSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", scratch, "workerd"], { encoding: "utf8", timeout: 180_000 });
  const bin = path.join(scratch, "node_modules", ".bin", "workerd");
  if (npm.status !== 0 || !existsSync(bin)) {
    console.log(`workerd could not be installed from the npm registry (${(npm.stderr || npm.error?.message || "").trim().split("\n").pop()}); its rows are left out`);
    return null;
  }
  return bin;
}

/**
 * A WAGI run in a Worker: the smallest WASI preview1 the module imports (stdout collected, exit as
 * an exception), stdout parsed as CGI headers + body. `fresh` instantiates per request.
 */
const WORKER_WASM = (fresh: boolean) => `
import hello from "hello.wasm";
class Exit { constructor(code) { this.code = code; } }
let shared;
function instantiate(out) {
  let memory;
  const wasi = {
    fd_write(fd, iovs, count, written) {
      const view = new DataView(memory.buffer);
      let total = 0;
      for (let i = 0; i < count; i++) {
        const ptr = view.getUint32(iovs + 8 * i, true), len = view.getUint32(iovs + 8 * i + 4, true);
        if (fd === 1) out.chunks.push(new Uint8Array(memory.buffer, ptr, len).slice());
        total += len;
      }
      view.setUint32(written, total, true);
      return 0;
    },
    fd_fdstat_get(fd, at) { const v = new DataView(memory.buffer); v.setUint8(at, 2); v.setUint16(at + 2, 0, true); v.setBigUint64(at + 8, 0n, true); v.setBigUint64(at + 16, 0n, true); return 0; },
    fd_seek() { return 70; },
    fd_close() { return 0; },
    proc_exit(code) { throw new Exit(code); },
  };
  const instance = new WebAssembly.Instance(hello, { wasi_snapshot_preview1: wasi });
  memory = instance.exports.memory;
  return instance;
}
const out = { chunks: [] };
function run() {
  out.chunks = [];
  const instance = ${fresh ? "instantiate(out)" : "(shared ??= instantiate(out))"};
  try { instance.exports._start(); } catch (e) { if (!(e instanceof Exit)) throw e; }
  const text = new TextDecoder().decode(new Uint8Array(out.chunks.flatMap((c) => [...c])));
  const split = text.indexOf("\\n\\n");
  const headers = new Headers();
  for (const line of text.slice(0, split).split("\\n")) { const i = line.indexOf(":"); if (i > 0) headers.set(line.slice(0, i).trim(), line.slice(i + 1).trim()); }
  return new Response(text.slice(split + 2), { status: 200, headers });
}
export default { fetch() { return run(); } };
`;

const WORKER_JS = `export default { fetch() { return new Response("hello from a Worker\\n", { headers: { "content-type": "text/plain" } }); } };`;

/** One workerd process serving three Workers on three ports: JS only, wasm reused, wasm fresh per request. */
async function startWorkerd(bin: string, dir: string): Promise<{ child: ChildProcess; urls: Record<"js" | "reuse" | "fresh", string> }> {
  copyFileSync(HELLO, path.join(dir, "hello.wasm"));
  writeFileSync(path.join(dir, "js.js"), WORKER_JS);
  writeFileSync(path.join(dir, "reuse.js"), WORKER_WASM(false));
  writeFileSync(path.join(dir, "fresh.js"), WORKER_WASM(true));
  const ports = { js: await freePort(), reuse: await freePort(), fresh: await freePort() };
  const worker = (file: string, wasm: boolean) =>
    `(compatibilityDate = "2024-09-23", modules = [(name = "worker", esModule = embed "${file}")${wasm ? `, (name = "hello.wasm", wasm = embed "hello.wasm")` : ""}])`;
  const names = ["js", "reuse", "fresh"] as const;
  writeFileSync(
    path.join(dir, "config.capnp"),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [${names.map((n) => `(name = "${n}", worker = ${worker(`${n}.js`, n !== "js")})`).join(", ")}],
  sockets = [${names.map((n) => `(name = "${n}", address = "127.0.0.1:${ports[n]}", http = (), service = "${n}")`).join(", ")}],
);
`,
  );
  const child = spawn(bin, ["serve", path.join(dir, "config.capnp")], { stdio: ["ignore", "inherit", "inherit"] });
  const urls = { js: `http://127.0.0.1:${ports.js}/`, reuse: `http://127.0.0.1:${ports.reuse}/`, fresh: `http://127.0.0.1:${ports.fresh}/` };
  for (const deadline = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 100))) {
    const ok = await fetch(urls.fresh).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error("workerd did not start");
  }
  return { child, urls };
}

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)));
}

/** Checks the server answers 200 with a hello, then warms it up. */
async function warm(name: string, url: string): Promise<void> {
  const res = await fetch(url);
  const body = await res.text();
  if (res.status !== 200 || !/hello/i.test(body)) throw new Error(`${name} answered ${res.status} ${JSON.stringify(body.slice(0, 80))}`);
  for (let i = 0; i < 200; i++) await fetch(url).then((r) => r.arrayBuffer());
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");

const scratch = mkdtempSync(path.join(os.tmpdir(), "bench-peers-"));
const plain = http.createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/plain" });
  res.end("hello from node\n");
});
mkdirSync(path.join(scratch, "apps", "bench", "hello-c"), { recursive: true });
copyFileSync(HELLO, path.join(scratch, "apps", "bench", "hello-c", "module.wasm"));
// The JS-only Worker's handler, as a JavaScript app of ours (the QuickJS engine + _worker.js).
mkdirSync(path.join(scratch, "apps", "bench", "hello-js", "files"), { recursive: true });
copyFileSync(path.resolve(import.meta.dirname, "..", JS_ENGINE_PATH), path.join(scratch, "apps", "bench", "hello-js", "module.wasm"));
writeFileSync(path.join(scratch, "apps", "bench", "hello-js", "files", JS_WORKER_FILE), WORKER_JS);
const pool = await WorkerPool.create({});
const registry = createFolderRegistry({ dir: path.join(scratch, "apps"), ttlMs: 60_000 });
const gateway = await createGateway({ resolve: registry.resolve, pool, pathRouting: true });

const targets: { name: string; url: string }[] = [
  { name: "plain node:http", url: await listen(plain) },
  { name: "gateway hello-c (fresh instance per request)", url: `${await listen(gateway.server)}bench/hello-c/` },
];
targets.push({ name: "gateway JS Worker handler (QuickJS, fresh instance per request)", url: targets[1]!.url.replace("hello-c", "hello-js") });
const bin = workerdBinary(path.join(scratch, "workerd"));
let workerd: ChildProcess | undefined;
if (bin) {
  mkdirSync(path.join(scratch, "worker"));
  const started = await startWorkerd(bin, path.join(scratch, "worker"));
  workerd = started.child;
  targets.push(
    { name: "workerd JS only (no wasm)", url: started.urls.js },
    { name: "workerd hello-c, one instance reused", url: started.urls.reuse },
    { name: "workerd hello-c, fresh instance per request", url: started.urls.fresh },
  );
}

try {
  for (const t of targets) await warm(t.name, t.url);
  const rounds = new Map<string, LoadResult[]>(targets.map((t) => [t.name, []]));
  for (let i = 0; i < ROUNDS; i++) {
    for (const t of targets) rounds.get(t.name)!.push(await runLoadIsolated({ url: t.url, seconds: SECONDS, connections: CONNECTIONS }));
  }
  const perRound = (a: string, b: string) => median(rounds.get(a)!.map((r, i) => r.reqPerSec / rounds.get(b)![i]!.reqPerSec));
  const GW = targets[1]!.name;
  console.log(`\nPeers — ${rounds.get(GW)![0]!.tool}, ${ROUNDS} interleaved rounds of ${SECONDS}s, ${CONNECTIONS} connections, ${pool.size} guest workers, ${os.availableParallelism()} cores`);
  console.table(
    targets.map((t) => {
      const all = rounds.get(t.name)!;
      return {
        server: t.name,
        "req/s (median)": Math.round(median(all.map((r) => r.reqPerSec))),
        "p50 ms": fmt(median(all.map((r) => r.p50Ms))),
        "p99 ms": fmt(median(all.map((r) => r.p99Ms))),
        errors: all.reduce((n, r) => n + r.errors, 0),
        "÷ plain (median of rounds)": fmt(perRound(t.name, targets[0]!.name)),
        rounds: all.map((r) => Math.round(r.reqPerSec)).join(" "),
      };
    }),
  );
  reportFigure({ name: "gateway hello-c ÷ plain node:http, req/s", value: perRound(GW, targets[0]!.name), unit: "×", goal: "≥ 0.40" });
  if (workerd) {
    reportFigure({ name: "gateway ÷ workerd, fresh instance per request (both isolate), req/s", value: perRound(GW, targets[5]!.name), unit: "×", goal: "≥ 2.5" });
    reportFigure({ name: "gateway (isolating) ÷ workerd reusing one instance, req/s", value: perRound(GW, targets[4]!.name), unit: "×", goal: "≥ 0.8" });
    reportFigure({ name: "gateway JS hello ÷ workerd JS Worker (same handler), req/s", value: perRound(targets[2]!.name, targets[3]!.name), unit: "×" });
  }
} finally {
  workerd?.kill();
  plain.close();
  plain.closeAllConnections();
  await gateway.close();
  await pool.close();
  rmSync(scratch, { recursive: true, force: true });
}
