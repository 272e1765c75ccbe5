/**
 * WASI 0.2 components (issue #17) against preview1 modules, measured in one run:
 * - in-process, a fresh instance per request (instantiate + handle), p50: the hand-made component
 *   hello (fixtures/component/hello) with the glue we ship (jco 1.15, mended) and with current
 *   jco's glue, against the WAT module hello (fixtures/wasm/hello-wat); the componentize-js
 *   JavaScript hello (13 MB) too;
 * - cold: transpile at publish, and publish → first 200 through a fresh gateway;
 * - through the gateway (folder registry, the same worker pool), req/s of the component hello, the
 *   module hello and plain node:http, rounds interleaved.
 *
 *   BENCH_SECONDS per round (default 3), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 32)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { transpileBytes } from "@bytecodealliance/jco-transpile";
import { jsComponent } from "../lib/testing/js-component";
import { runWagi } from "../lib/wasm";
import { transpileComponent } from "../lib/wasm/component/transpile";
import { componentFromCompiled, loadComponent, runComponent, type LoadedComponent } from "../lib/wasm/component/run-component";
import { createFolderRegistry } from "../lib/runtime/folder-registry";
import { createGateway } from "../lib/runtime/gateway";
import { WorkerPool } from "../lib/runtime/worker-pool";
import { reportFigure } from "./lib/figures";
import { percentile, runLoad } from "./lib/load";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ROOT = path.resolve(import.meta.dirname, "..");
const read = (p: string) => new Uint8Array(readFileSync(path.join(ROOT, p)));
const fmt = (n: number, digits = 2) => n.toFixed(digits);

const helloComponent = read("fixtures/component/hello.component.wasm");
const helloModule = read("fixtures/wasm/hello-wat.wasm");
const request = { method: "GET", url: "http://hello.localhost/", headers: [] as [string, string][], body: new Uint8Array(0), remoteAddr: "127.0.0.1", route: "/..." };

// ---- in-process: instantiate + handle on a fresh instance, p50 over interleaved rounds ----------

const shipped = loadComponent(await transpileComponent(helloComponent));
const current = await (async () => {
  const { files } = await transpileBytes(helloComponent, { name: "component", instantiation: "sync" } as never);
  const cores = Object.entries(files).filter(([n]) => n.endsWith(".wasm")).map(([name, b]) => ({ name, module: new WebAssembly.Module(b as Uint8Array<ArrayBuffer>) }));
  return componentFromCompiled({ glue: new TextDecoder().decode(files["component.js"]), cores, exports: ["wasi:http/incoming-handler@0.2.0"] });
})();
const module = new WebAssembly.Module(helloModule);
const runs: Record<string, () => unknown> = {
  "module hello (WAT, preview1)": () => runWagi({ module, request }),
  "component hello, shipped glue (jco 1.15)": () => runComponent({ component: shipped, request }),
  "component hello, current jco's glue": () => runComponent({ component: current, request }),
};
const samples: Record<string, number[]> = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
for (let round = 0; round < 5; round++) {
  for (const [name, run] of Object.entries(runs)) {
    for (let i = 0; i < 300; i++) run();
    for (let i = 0; i < 2000; i++) {
      const started = performance.now();
      run();
      samples[name]!.push(performance.now() - started);
    }
  }
}
const p50 = (name: string) => percentile(samples[name]!.sort((a, b) => a - b), 50) * 1000;
console.log("\nIn-process, fresh instance per request (instantiate + handle), p50:");
console.table(Object.keys(runs).map((name) => ({ run: name, "p50 µs": fmt(p50(name), 1), "÷ module": fmt(p50(name) / p50("module hello (WAT, preview1)")) })));
const shippedRatio = p50("component hello, shipped glue (jco 1.15)") / p50("module hello (WAT, preview1)");
reportFigure({ name: "component hello ÷ module hello, in-process p50 per request", value: shippedRatio, unit: "×", goal: "≤ 2" });
reportFigure({ name: "component hello with current jco's glue ÷ module hello, in-process p50", value: p50("component hello, current jco's glue") / p50("module hello (WAT, preview1)"), unit: "×" });

// ---- componentize-js: transpile, load, per request --------------------------------------------

const jsBytes = await jsComponent("fixtures/component/js-hello/app.js");
let started = performance.now();
const jsArtifact = await transpileComponent(jsBytes, { memoryMb: 256 });
const transpileMs = performance.now() - started;
started = performance.now();
const js: LoadedComponent = loadComponent(jsArtifact);
const loadMs = performance.now() - started;
const jsRequest = { ...request, url: "http://js.localhost/greet" };
const jsSamples: number[] = [];
for (let i = 0; i < 40; i++) {
  const t = performance.now();
  runComponent({ component: js, request: jsRequest });
  if (i >= 5) jsSamples.push(performance.now() - t);
}
jsSamples.sort((a, b) => a - b);
console.log(
  `\ncomponentize-js hello (${(jsBytes.length / 1e6).toFixed(1)} MB, ${jsArtifact.transpiler}): transpile ${fmt(transpileMs, 0)} ms, ` +
    `compile its core modules ${fmt(loadMs, 0)} ms, per request p50 ${fmt(percentile(jsSamples, 50), 1)} ms, p90 ${fmt(percentile(jsSamples, 90), 1)} ms`,
);
reportFigure({ name: "componentize-js hello, in-process p50 per request", value: percentile(jsSamples, 50), unit: "ms" });

// ---- through the gateway ----------------------------------------------------------------------

const dir = mkdtempSync(path.join(os.tmpdir(), "bench-components-"));
const place = (app: string, bytes: Uint8Array) => {
  mkdirSync(path.join(dir, "bench", app), { recursive: true });
  writeFileSync(path.join(dir, "bench", app, "module.wasm"), bytes);
};
place("hello-module", helloModule);
place("hello-component", helloComponent);
place("hello-js", jsBytes);
const pool = await WorkerPool.create({});
const registry = createFolderRegistry({ dir, ttlMs: 600_000 });
const gateway = await createGateway({ resolve: registry.resolve, pool, pathRouting: true });
const listen = (server: http.Server) =>
  new Promise<string>((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
const base = await listen(gateway.server);
const plain = http.createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/plain" });
  res.end("Hello, World!\n");
});
const plainUrl = await listen(plain);

// Cold: the folder registry transpiles the JavaScript component on its first request, as publish
// does (its lookup answers 503 "retry" while a transpile outlasts the gateway's 5 s lookup budget);
// then the first request compiles the artifact's core modules. Timed to the first 200.
started = performance.now();
let firstStatus = 0;
while (firstStatus !== 200 && performance.now() - started < 120_000) {
  const res = await fetch(`${base}/bench/hello-js/`);
  await res.arrayBuffer();
  firstStatus = res.status;
  if (firstStatus !== 200) await new Promise((r) => setTimeout(r, 100));
}
const coldMs = performance.now() - started;
console.log(`\ncomponentize-js hello, transpile (as at publish) → first 200: ${fmt(coldMs, 0)} ms`);
reportFigure({ name: "componentize-js hello, transpile → first 200", value: coldMs, unit: "ms" });

const targets = { "plain node:http": `${plainUrl}/`, "module hello": `${base}/bench/hello-module/`, "component hello": `${base}/bench/hello-component/` };
for (const url of Object.values(targets)) {
  for (let i = 0; i < 200; i++) {
    const res = await fetch(url);
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  }
}
const totals: Record<string, number[]> = Object.fromEntries(Object.keys(targets).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, url] of Object.entries(targets)) {
    const result = await runLoad({ url, seconds: SECONDS, connections: CONNECTIONS });
    if (result.errors > 0) console.log(`  ${name}: ${result.errors} non-200 or failed`);
    totals[name]!.push(result.reqPerSec);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const plainRps = median(totals["plain node:http"]!);
console.log(`\nThrough the gateway, ${ROUNDS} interleaved rounds of ${SECONDS} s, ${CONNECTIONS} connections (medians):`);
console.table(Object.keys(targets).map((name) => ({ server: name, "req/s": fmt(median(totals[name]!), 0), "÷ plain": fmt(median(totals[name]!) / plainRps) })));
const componentRatio = median(totals["component hello"]!) / plainRps;
reportFigure({ name: "gateway component hello ÷ plain node:http, req/s", value: componentRatio, unit: "×" });
reportFigure({ name: "gateway component hello ÷ module hello, req/s", value: median(totals["component hello"]!) / median(totals["module hello"]!), unit: "×" });

await gateway.close?.();
await new Promise<void>((r) => plain.close(() => r()));
await pool.close?.();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
