/**
 * Soak run (`npm run soak`, issue #8): the platform started as `npm start` starts it (console +
 * one gateway process per core), then SOAK_MINUTES of mixed traffic at a steady rate: hello, a KV
 * counter, a module that writes stderr lines, one that serves a static file from /app, and some
 * errors (a trap: 502). It prints the gateway processes' RSS every minute and at the end checks:
 *
 *   - RSS growth of the gateway processes (sum) from the end of the warm-up to the end stays under
 *     SOAK_RSS_GROWTH_MB (default 96 MiB: pools, caches and allocator slack settle in the warm-up;
 *     a leak of even 1 KiB per request passes it within minutes at the default rate);
 *   - access records = usage-counted requests = requests answered, exactly (none lost);
 *   - the KV counter holds exactly the increments that were acknowledged;
 *   - no gateway process was replaced and no request failed on the network.
 *
 *   SOAK_MINUTES (default 10), SOAK_RPS (default 50), SOAK_WARMUP_SECONDS (default 30),
 *   SOAK_RSS_GROWTH_MB (default 96), SOAK_DB (postgres | embedded; default postgres: a fresh
 *   database on TEST_POSTGRES_URL, dropped afterwards), GATEWAY_PROCESSES (default: cores).
 * Needs a console build (NEXT_DIST_DIR, default .next; `npm start` builds one if there is none).
 * Exits 1 when a check fails.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fixture, percentile, signUpTenant, sleep } from "../lib/runtime/fault-test-support";
import { publishForm } from "../lib/testing/console-client";
import { startPlatform } from "../lib/testing/platform";
import { createTestDatabase } from "../lib/testing/test-database";

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const RPS = Number(process.env.SOAK_RPS ?? 50);
const WARMUP_S = Number(process.env.SOAK_WARMUP_SECONDS ?? 30);
const RSS_GROWTH_MB = Number(process.env.SOAK_RSS_GROWTH_MB ?? 96);
const PROCESSES = process.env.GATEWAY_PROCESSES ?? String(os.availableParallelism());

/** The traffic mix: app, expected status, weight. */
const MIX = [
  { app: "hello", status: 200, weight: 40 },
  { app: "counter", status: 200, weight: 20 },
  { app: "logger", status: 200, weight: 20 },
  { app: "static", status: 200, weight: 10 },
  { app: "crash", status: 502, weight: 10 },
] as const;
const SCHEDULE = MIX.flatMap((m) => Array<(typeof MIX)[number]>(m.weight).fill(m));

const log = (message: string) => console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${message}`);
const mib = (bytes: number) => Math.round(bytes / 1048576);

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0);
  return kb * 1024;
}

const database = await createTestDatabase(process.env.SOAK_DB === "embedded" ? "embedded" : "postgres");
const dataDir = await mkdtemp(path.join(os.tmpdir(), "wc-soak-"));
log(`starting the platform (${PROCESSES} gateway processes, ${database.kind} database)…`);
const platform = await startPlatform({ dataDir, databaseUrl: database.url, env: { GATEWAY_PROCESSES: PROCESSES, GATEWAY_PATH_ROUTING: "on" } });
let failed = false;
const check = (ok: boolean, message: string) => {
  log(`${ok ? "ok  " : "FAIL"} ${message}`);
  if (!ok) failed = true;
};

try {
  const tenant = await signUpTenant(platform.consoleUrl);
  await tenant.deploy("hello", "hello-wat");
  await tenant.deploy("counter", "kv-counter");
  await tenant.deploy("logger", "stderr");
  await tenant.deploy("crash", "trap");
  expect201(await tenant.post("/api/v1/apps", { name: "static" }));
  const page = "<h1>soak</h1>\n".repeat(256);
  expect201(await tenant.api("/api/v1/apps/static/versions", { method: "POST", body: publishForm("1.0.0", await fixture("static-file"), undefined, { "index.html": page }) }));
  expect201(await tenant.post("/api/v1/apps/static/deployments", { version: "1.0.0" }));
  const url = (app: string) => `${platform.gatewayUrl}/${tenant.account.tenant}/${app}/`;
  for (const { app, status } of MIX) {
    const deadline = Date.now() + 15_000;
    while ((await fetch(url(app))).status !== status) {
      if (Date.now() > deadline) throw new Error(`${app} is not served`);
      await sleep(100);
    }
  }
  const tenantRow = await database.db.tenant.findFirstOrThrow({ where: { name: tenant.account.tenant } });
  const counterStart = Number(await (await fetch(url("counter"))).text());
  // Count from a clean slate: the readiness requests above are not part of the run.
  await sleep(1000);
  await database.db.requestRecord.deleteMany({ where: { tenantId: tenantRow.id } });
  await database.db.usageDaily.deleteMany({ where: { tenantId: tenantRow.id } });

  // The gateway processes: ask /healthz on fresh connections until each has answered.
  const gatewayPids = new Set<number>();
  for (let i = 0; i < 200 && gatewayPids.size < Number(PROCESSES); i++) {
    gatewayPids.add(await healthzPid(platform.gatewayUrl));
  }
  const pids = [...gatewayPids];
  const rss = () => pids.map(rssOf);
  log(`gateway pids ${pids.join(", ")}; RSS ${rss().map(mib).join(" + ")} MiB; ${RPS} req/s for ${MINUTES} min (warm-up ${WARMUP_S} s)`);

  let sent = 0;
  let answered = 0;
  const unexpected: string[] = [];
  const acked: number[] = [];
  const latencies: number[] = [];
  const inFlight = new Set<Promise<void>>();
  const send = (target: (typeof SCHEDULE)[number]) => {
    sent++;
    const t0 = performance.now();
    const p = fetch(url(target.app), { signal: AbortSignal.timeout(30_000) })
      .then(async (res) => {
        const text = await res.text();
        answered++;
        latencies.push(performance.now() - t0);
        if (res.status !== target.status) unexpected.push(`${target.app}: ${res.status} ${text.slice(0, 120)}`);
        else if (target.app === "counter") acked.push(Number(text));
      })
      .catch((e: unknown) => void unexpected.push(`${target.app}: ${String(e)}`))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  const started = performance.now();
  const end = started + MINUTES * 60_000;
  let baseline: number | null = null;
  let nextReport = started + 60_000;
  let maxInFlight = 0;
  // Open loop: request i leaves at started + i / RPS, whatever the answers do.
  for (let i = 0; performance.now() < end; i++) {
    const due = started + (i * 1000) / RPS;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    send(SCHEDULE[i % SCHEDULE.length]!);
    maxInFlight = Math.max(maxInFlight, inFlight.size);
    const now = performance.now();
    if (baseline === null && now - started >= WARMUP_S * 1000) {
      baseline = rss().reduce((a, b) => a + b, 0);
      log(`warm-up done: gateway RSS ${mib(baseline)} MiB (baseline)`);
    }
    if (now >= nextReport) {
      nextReport += 60_000;
      const r = rss();
      log(`minute ${Math.round((now - started) / 60_000)}: sent ${sent}, answered ${answered}, unexpected ${unexpected.length}, RSS ${r.map(mib).join(" + ")} = ${mib(r.reduce((a, b) => a + b, 0))} MiB`);
    }
  }
  await Promise.all(inFlight);
  const finalRss = rss().reduce((a, b) => a + b, 0);
  const seconds = (performance.now() - started) / 1000;
  log(`done: sent ${sent} in ${seconds.toFixed(0)} s (${(sent / seconds).toFixed(1)} req/s), answered ${answered}, latency p50 ${percentile(latencies, 50).toFixed(1)} ms p99 ${percentile(latencies, 99).toFixed(1)} ms, max in flight ${maxInFlight}, final RSS ${mib(finalRss)} MiB`);

  // The log sink writes every 200 ms; give it a moment, then count.
  const expectRecords = answered;
  let records = 0;
  for (let i = 0; i < 50; i++) {
    records = await database.db.requestRecord.count({ where: { tenantId: tenantRow.id } });
    if (records >= expectRecords) break;
    await sleep(200);
  }
  const usage = await database.db.usageDaily.findMany({ where: { tenantId: tenantRow.id } });
  const usageRequests = usage.reduce((sum, u) => sum + Number(u.requests), 0);
  const counterEnd = Number(await (await fetch(url("counter"))).text()) - 1;
  const growth = baseline === null ? 0 : finalRss - baseline;

  check(unexpected.length === 0, `every request answered as expected (${unexpected.length} not${unexpected.length ? `; first: ${unexpected.slice(0, 3).join(" | ")}` : ""})`);
  check(sent === answered, `answered ${answered} of ${sent} sent`);
  check(records === expectRecords, `access records ${records} = requests answered ${expectRecords}`);
  check(usageRequests === expectRecords, `usage-counted requests ${usageRequests} = requests answered ${expectRecords}`);
  check(counterEnd - counterStart === acked.length, `KV counter grew by ${counterEnd - counterStart} = increments acknowledged ${acked.length}`);
  check(pids.every((pid) => { try { return rssOf(pid) > 0; } catch { return false; } }), "no gateway process was replaced");
  check(baseline !== null && growth < RSS_GROWTH_MB * 1048576, `gateway RSS growth after warm-up ${mib(growth)} MiB < ${RSS_GROWTH_MB} MiB (baseline ${baseline === null ? "none: run longer than the warm-up" : `${mib(baseline)} MiB`}, final ${mib(finalRss)} MiB)`);
} finally {
  await platform.stop();
  await database.close();
  await rm(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

/** /healthz on a connection of its own (the cluster balances connections, not requests). */
function healthzPid(gatewayUrl: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(`${gatewayUrl}/healthz`, { agent: false }, (res) => {
        let text = "";
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve((JSON.parse(text) as { pid: number }).pid));
      })
      .on("error", reject);
  });
}

function expect201(res: Response): void {
  if (res.status !== 201) throw new Error(`${res.url}: ${res.status}`);
}
