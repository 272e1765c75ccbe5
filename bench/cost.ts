/**
 * Cost per million requests (docs/thesis.md): the hello app (hello-c) and a KV app (kv-counter, one
 * atomic kv_incr per request) served by one gateway, each request metered exactly as the log sink
 * meters it (lib/logs/log-sink.ts toRow: GB-seconds, CPU ms, KV operations, egress), then a month of
 * such requests priced by the Usage & billing page's formulas (lib/billing/price-usage.ts): our plan
 * (PRICE_PLAN, else the default), and AWS Lambda's and Cloudflare Workers' list prices for the same usage.
 *
 * Metering is taken from sequential requests (one connection): under load the duration also counts
 * queueing, which a per-invocation platform would not bill. The operator's side, CPU of the gateway
 * process per request under load (load generator in another process), is printed beside it.
 * Needs PostgreSQL (TEST_POSTGRES_URL; a fresh database is made and dropped) or BENCH_DB=embedded.
 *
 *   BENCH_REQUESTS metered per app (default 2000), BENCH_MONTHLY_REQUESTS priced (default 100M),
 *   BENCH_SECONDS of load per app (default 3), BENCH_CONNECTIONS (default 32)
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { priceAsAwsLambda, priceAsCloudflareWorkers, priceWithPlan, type Bill } from "../lib/billing/price-usage";
import { getPricePlan } from "../lib/billing/price-plan";
import type { ResolveDeployment } from "../lib/deployment-record/record";
import { createKvAccess } from "../lib/kv/create-kv-access";
import { toRow } from "../lib/logs/log-sink";
import { createFolderRegistry } from "../lib/runtime/folder-registry";
import { createGateway, type RequestLog } from "../lib/runtime/gateway";
import { WorkerPool } from "../lib/runtime/worker-pool";
import { createTestDatabase } from "../lib/testing/test-database";
import { reportFigure } from "./lib/figures";
import { runLoadIsolated } from "./lib/load";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const MONTHLY = Number(process.env.BENCH_MONTHLY_REQUESTS ?? 100_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/wasm");
const APPS = [
  { name: "hello-c", label: "hello" },
  { name: "kv-counter", label: "KV app (one kv_incr)" },
];

const database = await createTestDatabase(process.env.BENCH_DB === "embedded" ? "embedded" : "postgres");
const tenant = await database.db.tenant.create({ data: { name: "bench" } });
const appIds = new Map<string, string>();
for (const { name } of APPS) appIds.set(name, (await database.db.app.create({ data: { tenantId: tenant.id, name } })).id);

const dir = mkdtempSync(path.join(os.tmpdir(), "bench-cost-"));
for (const { name } of APPS) {
  mkdirSync(path.join(dir, "bench", name), { recursive: true });
  copyFileSync(path.join(FIXTURES, `${name}.wasm`), path.join(dir, "bench", name, "module.wasm"));
}
const pool = await WorkerPool.create();
const registry = createFolderRegistry({ dir, ttlMs: 600_000 });
const kv = createKvAccess({ db: database.db, databaseUrl: database.url });
// What the database registry does: the deployment carries its tenant, app and the app's store.
const resolve: ResolveDeployment = async (tenantName, app) => {
  const d = await registry.resolve(tenantName, app);
  const appId = appIds.get(app);
  return d && appId ? { ...d, tenantId: tenant.id, appId, ...(app === "kv-counter" ? { kv: kv.forApp({ tenantId: tenant.id, appId }) } : {}) } : d;
};
let metering = false;
const records = new Map<string, RequestLog[]>(APPS.map(({ name }) => [name, []]));
const gateway = await createGateway({ resolve, pool, pathRouting: true, onLog: (r) => metering && r.app && records.get(r.app)?.push(r) });
const base = await new Promise<string>((r) => gateway.server.listen(0, "127.0.0.1", () => r(`http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`)));
const urlOf = (name: string) => `${base}/bench/${name}/`;

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function get(url: string): Promise<void> {
  return new Promise((resolve, reject) =>
    http
      .get(url, { agent }, (res) => {
        res.resume();
        res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`${url}: HTTP ${res.statusCode}`))));
      })
      .on("error", reject),
  );
}

// Warm up, then meter: the apps alternate in slices so background load hits both alike.
for (const { name } of APPS) for (let i = 0; i < 200; i++) await get(urlOf(name));
metering = true;
const SLICE = 100;
for (let done = 0; done < REQUESTS; done += SLICE) for (const { name } of APPS) for (let i = 0; i < SLICE; i++) await get(urlOf(name));
metering = false;
agent.destroy();

// The operator's side: CPU of this (gateway) process per request under load.
const cpuPerRequestUs = new Map<string, number>();
for (const { name } of APPS) {
  // Warm the concurrent path first (JIT, worker queues): a cold first second costs 2–3 × per request.
  await runLoadIsolated({ url: urlOf(name), seconds: 1, connections: CONNECTIONS });
  const before = process.cpuUsage();
  const load = await runLoadIsolated({ url: urlOf(name), seconds: SECONDS, connections: CONNECTIONS });
  const used = process.cpuUsage(before);
  cpuPerRequestUs.set(name, (used.user + used.system) / load.requests);
}
await gateway.close();
await pool.close();
kv.close();
rmSync(dir, { recursive: true, force: true });
await database.close();

const plan = getPricePlan(process.env);
const usd = (x: number) => `$${x.toFixed(x < 1 ? 4 : 2)}`;
const rows = [];
for (const { name, label } of APPS) {
  const metered = records.get(name)!.map((r) => toRow(r)!);
  if (metered.some((r) => !r || r.status !== 200)) throw new Error(`${name}: a metered request failed or was not recorded`);
  const mean = (f: (r: NonNullable<ReturnType<typeof toRow>>) => number) => metered.reduce((s, r) => s + f(r), 0) / metered.length;
  const perRequest = { durationMs: mean((r) => r.durationMs), gbSeconds: mean((r) => r.gbSeconds), cpuMs: mean((r) => r.cpuMs), egressBytes: mean((r) => r.bytesOut), kvOps: mean((r) => r.kvOps) };
  // A month of MONTHLY such requests, priced by the usage page's formulas (free tiers and fees included).
  const month = { requests: MONTHLY, gbSeconds: perRequest.gbSeconds * MONTHLY, cpuMs: perRequest.cpuMs * MONTHLY, egressBytes: perRequest.egressBytes * MONTHLY, kvOps: perRequest.kvOps * MONTHLY };
  const perMillion = (bill: Bill) => bill.total / (MONTHLY / 1e6);
  const ours = perMillion(priceWithPlan(plan, month));
  const lambda = perMillion(priceAsAwsLambda(month));
  const workers = perMillion(priceAsCloudflareWorkers(month));
  const cpuUs = cpuPerRequestUs.get(name)!;
  rows.push({
    app: label,
    "duration ms (billed: ceil)": perRequest.durationMs.toFixed(2),
    "guest CPU ms": perRequest.cpuMs.toFixed(3),
    "kv ops": perRequest.kvOps,
    "ours $/1M": usd(ours),
    "Lambda $/1M": usd(lambda),
    "Workers $/1M": usd(workers),
    "gateway CPU µs/req": cpuUs.toFixed(0),
    "vCPU-s per 1M": cpuUs.toFixed(0), // µs per request × 1M requests
    // The vCPU-hour price at which serving 1M requests costs the operator what Lambda charges for them.
    "break-even $/vCPU-h vs Lambda": usd(lambda / (cpuUs / 3600)),
  });
  reportFigure({ name: `${label}: $ per 1M requests at our plan (${MONTHLY / 1e6}M/month)`, value: ours, unit: "USD" });
  reportFigure({ name: `${label}: ours ÷ AWS Lambda, $ per 1M requests`, value: ours / lambda, unit: "×" });
  reportFigure({ name: `${label}: ours ÷ Cloudflare Workers, $ per 1M requests`, value: ours / workers, unit: "×" });
  reportFigure({ name: `${label}: gateway process CPU per 1M requests under load`, value: cpuUs, unit: "vCPU-s" });
  reportFigure({ name: `${label}: vCPU-hour price at which that CPU costs what Lambda charges`, value: lambda / (cpuUs / 3600), unit: "USD" });
}
console.log(`\nA month of ${MONTHLY.toLocaleString("en-US")} requests per app, metered from ${REQUESTS} sequential requests each, priced with "${plan.name}" (${os.availableParallelism()} cores, load average ${os.loadavg()[0]!.toFixed(1)})`);
console.table(rows);
console.log(
  "Lambda and Workers are priced on our metered usage (same GB-seconds, our guest time as their CPU time); their key-value " +
    "stores (DynamoDB, Workers KV) are billed separately and are not included. The gateway CPU excludes PostgreSQL's.",
);
