/**
 * What request logging and usage metering cost the gateway: two gateways on one worker pool, one
 * with the database log sink (request record + lines + daily usage, batched) and one without,
 * loaded in alternating rounds in the same run; the ratio (with ÷ without) should stay above 0.9.
 * A third gateway runs the same sink against a database stand-in that acknowledges every batch
 * at once: its ratio is the gateway's own cost of logging, without the database's CPU, which on
 * a small machine shares the cores with the gateway (the end-to-end ratio pays for both).
 * Needs PostgreSQL (TEST_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/postgres; a
 * fresh database is made and dropped) or BENCH_DB=embedded for the embedded one.
 *
 *   BENCH_SECONDS per round (default 3), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 32),
 *   BENCH_WORKERS (default: cores, at least 2), BENCH_MODULE (default hello-wat; stderr: 2 lines per request)
 */
import { randomUUID } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { createLogSink } from "../lib/logs/log-sink";
import type { ResolveDeployment } from "../lib/deployment-record/record";
import { createFolderRegistry } from "../lib/runtime/folder-registry";
import { createGateway } from "../lib/runtime/gateway";
import { WorkerPool } from "../lib/runtime/worker-pool";
import { createTestDatabase } from "../lib/testing/test-database";
import { runLoad, type LoadResult } from "./lib/load";
import { reportFigure } from "./lib/figures";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const WORKERS = process.env.BENCH_WORKERS ? Number(process.env.BENCH_WORKERS) : undefined;
const MODULE = process.env.BENCH_MODULE ?? "hello-wat";
const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/wasm");

const listen = (server: http.Server) =>
  new Promise<string>((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));

const database = await createTestDatabase(process.env.BENCH_DB === "embedded" ? "embedded" : "postgres");
const dir = mkdtempSync(path.join(os.tmpdir(), "bench-logging-"));
mkdirSync(path.join(dir, "bench", MODULE), { recursive: true });
copyFileSync(path.join(FIXTURES, `${MODULE}.wasm`), path.join(dir, "bench", MODULE, "module.wasm"));

const pool = await WorkerPool.create({ size: WORKERS });
const registry = createFolderRegistry({ dir, ttlMs: 60_000 });
const tenantId = randomUUID();
const appId = randomUUID();
// What the database registry does: the deployment carries the ids the records are filed under.
const resolve: ResolveDeployment = async (tenant, app) => {
  const d = await registry.resolve(tenant, app);
  return d && { ...d, tenantId, appId };
};

// As the gateway writes (scripts/gateway.ts): through its own pg connection. BENCH_SINK=prisma: through Prisma, as before.
const sink = createLogSink({ db: database.db, databaseUrl: process.env.BENCH_SINK === "prisma" ? undefined : database.url });
// Acknowledges every batch as written, at once: what the sink costs the gateway alone.
const discard = { $queryRawUnsafe: async () => [{ records: 0, lines: 0 }] } as unknown as typeof database.db;
const gatewayOnlySink = createLogSink({ db: discard });
let logged = 0;
const off = await createGateway({ resolve, pool, pathRouting: true });
const on = await createGateway({
  resolve,
  pool,
  pathRouting: true,
  onLog: (record) => {
    logged++;
    sink.push(record);
  },
});
const gatewayOnly = await createGateway({ resolve, pool, pathRouting: true, onLog: (record) => gatewayOnlySink.push(record) });
const targets = [
  { name: "logging + metering off", url: `${await listen(off.server)}/bench/${MODULE}/` },
  { name: "logging + metering on", url: `${await listen(on.server)}/bench/${MODULE}/` },
  { name: "on, database writes discarded", url: `${await listen(gatewayOnly.server)}/bench/${MODULE}/` },
];
for (const t of targets) for (let i = 0; i < 200; i++) await (await fetch(t.url)).arrayBuffer();
// One unmeasured second under full load each: the first loaded round ran at a third of the speed
// of the next ones (JIT, worker warm-up), and it always fell on the first target.
for (const t of targets) await runLoad({ url: t.url, seconds: 1, connections: CONNECTIONS });

// The database's own CPU for what the sink wrote: its server processes serving the bench's
// database (PostgreSQL on this machine; the embedded one runs inside this process). /proc counts
// in clock ticks of 10 ms; a connection opened meanwhile counts from 0.
async function databaseCpuMs(): Promise<number | null> {
  if (database.kind !== "postgres") return null;
  const backends = await database.db.$queryRawUnsafe<{ pid: number }[]>("SELECT pid FROM pg_stat_activity WHERE datname = current_database()");
  let ticks = 0;
  for (const { pid } of backends) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return null; // not on this machine, or gone
    }
  }
  return ticks * 10;
}
await sink.flush(); // what the warm-up logged is not counted
const databaseCpuBefore = await databaseCpuMs();
const loggedBefore = logged;

type Round = LoadResult & { cpuUsPerReq: number };
const results = new Map<string, Round[]>(targets.map((t) => [t.name, []]));
for (let i = 0; i < ROUNDS; i++) {
  // Alternate which goes first, so background load and the sink's trailing flush hit both alike.
  for (const t of i % 2 ? [...targets].reverse() : targets) {
    const before = process.cpuUsage();
    const result = await runLoad({ url: t.url, seconds: SECONDS, connections: CONNECTIONS });
    const cpu = process.cpuUsage(before);
    results.get(t.name)!.push({ ...result, cpuUsPerReq: (cpu.user + cpu.system) / result.requests });
  }
}
const flushStarted = performance.now();
await sink.flush();
const flushMs = performance.now() - flushStarted;
// Before the sink closes: closing ends its own connection, and with it that backend's counters.
const databaseCpuAfter = await databaseCpuMs();
await sink.close(60_000);
await gatewayOnlySink.close();
await off.close();
await on.close();
await gatewayOnly.close();
await pool.close();
rmSync(dir, { recursive: true, force: true });

const median = (rs: Round[]) => [...rs].sort((a, b) => a.reqPerSec - b.reqPerSec)[Math.floor(rs.length / 2)]!;
const rows = targets.map((t) => ({ name: t.name, result: median(results.get(t.name)!), all: results.get(t.name)! }));
const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
console.log(`\nLogging + metering cost — ${rows[0]!.result.tool}, ${ROUNDS} alternating rounds of ${SECONDS}s, ${CONNECTIONS} connections, ${pool.size} guest workers, ${os.availableParallelism()} cores, module ${MODULE}, ${database.kind} database`);
console.table(
  rows.map(({ name, result, all }) => ({
    gateway: name,
    "req/s": Math.round(result.reqPerSec),
    "p50 ms": fmt(result.p50Ms),
    "p99 ms": fmt(result.p99Ms),
    errors: all.reduce((n, r) => n + r.errors, 0),
    rounds: all.map((r) => Math.round(r.reqPerSec)).join(" "),
    "CPU µs/req": fmt([...all].sort((a, b) => a.cpuUsPerReq - b.cpuUsPerReq)[Math.floor(all.length / 2)]!.cpuUsPerReq, 0),
  })),
);
const stats = sink.stats();
const records = await database.db.requestRecord.count();
const usage = await database.db.usageDaily.aggregate({ _sum: { requests: true } });
console.log(
  `sink: ${logged} requests logged, ${stats.written} records and ${stats.lines} lines written, ${stats.dropped} dropped, ` +
    `${stats.failedFlushes} failed flushes; database: ${records} records, ${usage._sum.requests ?? 0n} metered requests; final flush ${fmt(flushMs, 0)} ms`,
);
if (databaseCpuBefore !== null && databaseCpuAfter !== null) {
  console.log(`database CPU per logged request (its server processes for this database): ${fmt(((databaseCpuAfter - databaseCpuBefore) * 1000) / (logged - loggedBefore), 0)} µs`);
}
const ratio = rows[1]!.result.reqPerSec / rows[0]!.result.reqPerSec;
const cpu = (r: (typeof rows)[number]) => [...r.all].sort((a, b) => a.cpuUsPerReq - b.cpuUsPerReq)[Math.floor(r.all.length / 2)]!.cpuUsPerReq;
console.log(`ratio with ÷ without logging + metering (medians): ${fmt(ratio)} (target ≥ 0.9)`);
reportFigure({ name: "logging + metering on ÷ off, req/s (database on the same cores)", value: ratio, unit: "×", goal: "≥ 0.9" });
const ownRatio = rows[2]!.result.reqPerSec / rows[0]!.result.reqPerSec;
console.log(`ratio with (database writes discarded) ÷ without: ${fmt(ownRatio)} — the gateway's own cost of logging + metering`);
reportFigure({ name: "logging + metering on ÷ off, req/s (gateway's own cost)", value: ownRatio, unit: "×", goal: "≥ 0.9" });
console.log(
  `gateway process CPU per request, without ÷ with: ${fmt(cpu(rows[0]!) / cpu(rows[1]!))} — the sink's own cost in this process; ` +
    "the database's work is not in it (on a small machine shared with the database, req/s also pays for that)",
);
await database.close();
if (records !== logged || Number(usage._sum.requests ?? 0n) !== logged) {
  console.error("metering is not exact: logged requests and stored records differ");
  process.exit(1);
}
