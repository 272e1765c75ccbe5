/**
 * What the key-value store costs a request: one gateway, one worker pool, three apps loaded in
 * alternating rounds in the same run — hello (no store), kv-read (one kv_get) and kv-counter
 * (one atomic kv_incr, every request on the same key: the worst case, a single hot row).
 * Reports req/s, p50/p99 and the ratios to hello. Needs PostgreSQL (TEST_POSTGRES_URL; a fresh
 * database is made and dropped) or BENCH_DB=embedded.
 *
 *   BENCH_SECONDS per round (default 3), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 32),
 *   BENCH_WORKERS (default: cores, at least 2)
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { createKvAccess } from "../lib/kv/create-kv-access";
import { applyWrites } from "../lib/kv/kv-entries";
import { prismaSql } from "../lib/kv/kv-sql";
import { ensureStore } from "../lib/kv/find-kv-store";
import type { ResolveDeployment } from "../lib/deployment-record/record";
import { createFolderRegistry } from "../lib/runtime/folder-registry";
import { createGateway } from "../lib/runtime/gateway";
import { WorkerPool } from "../lib/runtime/worker-pool";
import { createTestDatabase } from "../lib/testing/test-database";
import { WASMCOMPUTE_FUNCTIONS } from "../lib/wasm";
import { runLoad, type LoadResult } from "./lib/load";
import { reportFigure } from "./lib/figures";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const WORKERS = process.env.BENCH_WORKERS ? Number(process.env.BENCH_WORKERS) : undefined;
const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/wasm");
const HAS_INCR = (WASMCOMPUTE_FUNCTIONS as readonly string[]).includes("kv_incr");
const MODULES = ["hello-wat", "kv-read", ...(HAS_INCR ? ["kv-counter"] : [])];
if (!HAS_INCR) console.log("lib/wasm does not offer kv_incr yet: kv-counter is left out (see docs/kv.md).");

const database = await createTestDatabase(process.env.BENCH_DB === "embedded" ? "embedded" : "postgres");
const tenant = await database.db.tenant.create({ data: { name: "bench" } });
const apps = new Map<string, string>();
for (const name of MODULES) apps.set(name, (await database.db.app.create({ data: { tenantId: tenant.id, name } })).id);
const store = await ensureStore(database.db, { tenantId: tenant.id, appId: apps.get("kv-read")!, name: "default" });
await applyWrites(prismaSql(database.db), store.id, [{ key: "greeting", value: new TextEncoder().encode("hello from kv") }]);

const dir = mkdtempSync(path.join(os.tmpdir(), "bench-kv-"));
for (const name of MODULES) {
  mkdirSync(path.join(dir, "bench", name), { recursive: true });
  copyFileSync(path.join(FIXTURES, `${name}.wasm`), path.join(dir, "bench", name, "module.wasm"));
}
const pool = await WorkerPool.create({ size: WORKERS });
const registry = createFolderRegistry({ dir, ttlMs: 60_000 });
const kv = createKvAccess({ db: database.db, databaseUrl: database.url });
// What the database registry does: the deployment carries its app's store.
const resolve: ResolveDeployment = async (tenantName, app) => {
  const d = await registry.resolve(tenantName, app);
  const appId = apps.get(app);
  return d && appId ? { ...d, tenantId: tenant.id, appId, ...(app === "hello-wat" ? {} : { kv: kv.forApp({ tenantId: tenant.id, appId }) }) } : d;
};
const gateway = await createGateway({ resolve, pool, pathRouting: true });
const base = await new Promise<string>((r) => gateway.server.listen(0, "127.0.0.1", () => r(`http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`)));
const targets = MODULES.map((name) => ({ name, url: `${base}/bench/${name}/` }));
for (const t of targets) {
  const res = await fetch(t.url);
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${t.name} answered ${res.status}: ${body}`);
  for (let i = 0; i < 100; i++) await (await fetch(t.url)).arrayBuffer();
}

const results = new Map<string, LoadResult[]>(targets.map((t) => [t.name, []]));
for (let i = 0; i < ROUNDS; i++) {
  for (const t of i % 2 ? [...targets].reverse() : targets) results.get(t.name)!.push(await runLoad({ url: t.url, seconds: SECONDS, connections: CONNECTIONS }));
}
const counter = HAS_INCR ? await (await fetch(targets.at(-1)!.url)).text() : null;
await gateway.close();
await pool.close();
kv.close();
rmSync(dir, { recursive: true, force: true });

const median = (rs: LoadResult[]) => [...rs].sort((a, b) => a.reqPerSec - b.reqPerSec)[Math.floor(rs.length / 2)]!;
const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
const hello = median(results.get("hello-wat")!);
console.log(`\nKey-value store cost — ${hello.tool}, ${ROUNDS} alternating rounds of ${SECONDS}s, ${CONNECTIONS} connections, ${pool.size} guest workers, ${os.availableParallelism()} cores, ${database.kind} database`);
console.table(
  targets.map((t) => {
    const r = median(results.get(t.name)!);
    return {
      app: t.name,
      "req/s": Math.round(r.reqPerSec),
      "÷ hello": fmt(r.reqPerSec / hello.reqPerSec),
      "p50 ms": fmt(r.p50Ms),
      "p99 ms": fmt(r.p99Ms),
      errors: results.get(t.name)!.reduce((n, x) => n + x.errors, 0),
      rounds: results.get(t.name)!.map((x) => Math.round(x.reqPerSec)).join(" "),
    };
  }),
);
const read = median(results.get("kv-read")!);
console.log(`kv get from the guest: request p99 ${fmt(read.p99Ms)} ms (hello ${fmt(hello.p99Ms)} ms, so the get adds ≈ ${fmt(read.p99Ms - hello.p99Ms)} ms at p99 under load)`);
reportFigure({ name: "kv read ÷ hello, req/s", value: read.reqPerSec / hello.reqPerSec, unit: "×" });
const counted = results.get("kv-counter");
if (counted) reportFigure({ name: "kv counter ÷ hello, req/s", value: median(counted).reqPerSec / hello.reqPerSec, unit: "×" });
reportFigure({ name: "request with a guest kv get, p99 under load", value: read.p99Ms, unit: "ms" });
if (counter) console.log(`counter after the run: ${counter.trim()} (every successful request added exactly 1)`);
await database.close();
