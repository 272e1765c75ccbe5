/**
 * What `static:` serving saves: one gateway, one worker pool, one in-memory deployment whose
 * `/assets` prefix is served from its files, loaded in alternating rounds in the same run —
 * hello-wat through the wasm route, a 1 KiB and a 64 KiB file through the static prefix (bytes
 * from the gateway's cache after the first request). Reports req/s, p50/p99 and the ratios to
 * the wasm route.
 *
 *   BENCH_SECONDS per round (default 3), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 32),
 *   BENCH_WORKERS (default: cores, at least 2)
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { ResolvedDeployment } from "../lib/deployment-record/record";
import { createGateway } from "../lib/runtime/gateway";
import { hashModule } from "../lib/runtime/module-cache";
import { createStaticSite } from "../lib/deployment-record/static-site";
import { WorkerPool } from "../lib/runtime/worker-pool";
import { reportFigure } from "./lib/figures";
import { runLoad, type LoadResult } from "./lib/load";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const WORKERS = process.env.BENCH_WORKERS ? Number(process.env.BENCH_WORKERS) : undefined;
const HELLO = new Uint8Array(readFileSync(path.resolve(import.meta.dirname, "../fixtures/wasm/hello-wat.wasm")));

const files: Record<string, Uint8Array> = {
  "static/1k.txt": new Uint8Array(1024).fill(97),
  "static/64k.bin": new Uint8Array(64 * 1024).map((_, i) => i % 251),
};
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const byHash = new Map(Object.values(files).map((b) => [sha256(b), b]));
const deployment: ResolvedDeployment = {
  versionId: "bench",
  moduleHash: hashModule(HELLO),
  getModuleBytes: async () => HELLO,
  routes: [{ prefix: "/...", entrypoint: "_start" }],
  env: {},
  files: { key: "bench-files", getEntries: async () => files },
  limits: {},
  static: createStaticSite({
    mounts: [{ path: "/assets", dir: "static" }],
    files: Object.entries(files).map(([p, b]) => ({ path: p, sha256: sha256(b), size: b.byteLength, contentType: "" })),
    read: async (hash) => byHash.get(hash)!,
  }),
};

const pool = await WorkerPool.create({ size: WORKERS });
const gateway = await createGateway({ resolve: async () => deployment, pool, pathRouting: true });
const base = await new Promise<string>((r) => gateway.server.listen(0, "127.0.0.1", () => r(`http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`)));
const targets = [
  { name: "wasm hello", url: `${base}/bench/site/` },
  { name: "static 1 KiB", url: `${base}/bench/site/assets/1k.txt` },
  { name: "static 64 KiB", url: `${base}/bench/site/assets/64k.bin` },
];
for (const t of targets) {
  const res = await fetch(t.url);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${t.name} answered ${res.status}`);
  for (let i = 0; i < 100; i++) await (await fetch(t.url)).arrayBuffer();
}

const results = new Map<string, LoadResult[]>(targets.map((t) => [t.name, []]));
for (let i = 0; i < ROUNDS; i++) {
  for (const t of i % 2 ? [...targets].reverse() : targets) results.get(t.name)!.push(await runLoad({ url: t.url, seconds: SECONDS, connections: CONNECTIONS }));
}
await gateway.close();
await pool.close();

const median = (rs: LoadResult[]) => [...rs].sort((a, b) => a.reqPerSec - b.reqPerSec)[Math.floor(rs.length / 2)]!;
const wasm = median(results.get("wasm hello")!);
console.log(`${ROUNDS} rounds × ${SECONDS} s, ${CONNECTIONS} connections, load by ${wasm.tool}; median round per target`);
console.table(
  targets.map((t) => {
    const m = median(results.get(t.name)!);
    return { target: t.name, "req/s": Math.round(m.reqPerSec), "p50 ms": m.p50Ms.toFixed(2), "p99 ms": m.p99Ms.toFixed(2), "÷ wasm": (m.reqPerSec / wasm.reqPerSec).toFixed(2), errors: m.errors };
  }),
);
for (const t of targets.slice(1)) {
  reportFigure({ name: `${t.name} ÷ wasm hello req/s`, value: median(results.get(t.name)!).reqPerSec / wasm.reqPerSec, unit: "×" });
}
