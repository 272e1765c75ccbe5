// One tenant must not starve another of CPU (issue #13 item 3), through the real platform
// (console + one gateway process with 2 guest workers, PostgreSQL): tenant B saturates its share of
// the workers with requests to a module that never returns (fixtures/wasm/loop.wasm, stopped at its
// 3 s deadline), six at a time and again as soon as each is answered, while tenant A's hello
// module is requested back to back. None of A's requests may wait for one of B's (it would wait out
// B's deadline); A's p99 beside B and alone are printed, in alternating rounds so that the other
// load on a shared 2-core machine weighs on both sides alike. Before the fair share, A's 10 ms
// requests waited 7–15 s.
// Also: the operator's ceilings refuse a manifest above them at publish, naming the ceiling.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";
import { publishForm } from "@/lib/testing/console-client";
import { startPlatform, type Platform } from "@/lib/testing/platform";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { fixture, percentile, signUpTenant, sleep, startStream, waitUntil, type Tenant } from "./fault-test-support";

let database: TestDatabase;
let platform: Platform;
let dataDir: string;
let tenantA: Tenant;
let tenantB: Tenant;
let helloUrl: string;
let loopUrl: string;

const HELLO = "hello from WAT\n";
/** B's requests never return: each runs to this deadline. */
const B_DEADLINE_MS = 3000;

beforeAll(async () => {
  database = await createTestDatabase("postgres");
  dataDir = await mkdtemp(path.join(os.tmpdir(), "wc-fairness-"));
  platform = await startPlatform({
    dataDir,
    databaseUrl: database.url,
    // The layout of the report: one gateway process, 2 guest workers (2 cores).
    env: { GATEWAY_PROCESSES: "1", GATEWAY_WORKERS: "2" },
  });
  [tenantA, tenantB] = [await signUpTenant(platform.consoleUrl), await signUpTenant(platform.consoleUrl)];
  await tenantA.deploy("hello", "hello-wat");
  await tenantB.deploy("spin", "loop", `limits:\n  timeoutMs: ${B_DEADLINE_MS}\n`);
  helloUrl = appUrl(platform.gatewayUrl, tenantA.account.tenant, "hello");
  loopUrl = appUrl(platform.gatewayUrl, tenantB.account.tenant, "spin");
  await waitUntil(async () => (await fetchApp(helloUrl)).status === 200, 10_000, "hello deployed");
  await waitUntil(async () => (await fetchApp(loopUrl, { method: "HEAD", signal: AbortSignal.timeout(10_000) })).status === 504, 15_000, "spin deployed");
}, 240_000);

afterAll(async () => {
  await platform?.stop();
  await database?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  ms: number;
  retryAfter: string | null;
}

/** `clients` loops requesting B's spin, each again 100 ms after its answer, until stopped. */
function saturate(url: string, clients: number): { stop(): Promise<Answer[]> } {
  const answers: Answer[] = [];
  let stopped = false;
  const loops = Array.from({ length: clients }, async () => {
    while (!stopped) {
      const started = performance.now();
      const res = await fetchApp(url, { signal: AbortSignal.timeout(30_000) }).catch(() => null);
      await res?.arrayBuffer();
      answers.push({ status: res?.status ?? 0, ms: performance.now() - started, retryAfter: res?.headers.get("retry-after") ?? null });
      await sleep(100);
    }
  });
  return {
    async stop() {
      stopped = true;
      await Promise.all(loops);
      return answers;
    },
  };
}

describe("tenant ↔ tenant on CPU", () => {
  it("a neighbour's requests never wait for another tenant's long requests while that tenant saturates its share", async () => {
    const idle: number[] = [];
    const loaded: number[] = [];
    const spins: Answer[] = [];
    for (let round = 0; round < 3; round++) {
      // A alone (B's last requests have ended).
      const quiet = startStream(helloUrl, HELLO, 2);
      await sleep(4000);
      const a = await quiet.stop();
      expect(a.failures).toEqual([]);
      idle.push(...a.latencies);

      // B at it: six long requests at a time, as fast as it is answered.
      const b = saturate(loopUrl, 6);
      await sleep(1500); // B's first requests have taken its share
      const busy = startStream(helloUrl, HELLO, 2);
      await sleep(6000);
      const a2 = await busy.stop();
      spins.push(...(await b.stop()));
      expect(a2.failures).toEqual([]);
      loaded.push(...a2.latencies);
    }
    const idleP99 = percentile(idle, 99);
    const loadedP99 = percentile(loaded, 99);
    const summary = `A's p99 ${loadedP99.toFixed(1)} ms over ${loaded.length} requests beside B, ${idleP99.toFixed(1)} ms over ${idle.length} alone`;
    console.log(summary);
    // Behaviour, not speed: a request of A that queued behind one of B's would wait out B's 3 s
    // deadline (before the fair share A's 10 ms requests waited 7–15 s). The p99s are printed, not
    // asserted: on a busy machine they move with the other load (bench/ measures speed).
    expect(Math.max(...loaded), summary).toBeLessThan(B_DEADLINE_MS);
    expect(idle.length).toBeGreaterThan(300);
    expect(loaded.length).toBeGreaterThan(300);

    // B got its share: requests ran to its deadline (504), and its excess was answered 429 with
    // Retry-After quickly (well before its requests' 3 s deadline), not queued behind them.
    expect(spins.filter((s) => s.status === 504).length).toBeGreaterThan(3);
    const refused = spins.filter((s) => s.status === 429);
    expect(refused.length).toBeGreaterThan(5);
    expect(refused.every((s) => s.retryAfter === "1")).toBe(true);
    expect(percentile(refused.map((s) => s.ms), 50)).toBeLessThan(3000);
    expect(spins.filter((s) => s.status !== 504 && s.status !== 429)).toEqual([]);
  }, 180_000);
});

describe("the operator's ceilings at publish", () => {
  it("refuses a manifest asking for more time or memory than the ceilings with a 422 naming them", async () => {
    expect((await tenantB.post("/api/v1/apps", { name: "greedy" })).status).toBe(201);
    const publish = (manifest: string) =>
      fixture("hello-wat").then((module) => tenantB.api("/api/v1/apps/greedy/versions", { method: "POST", body: publishForm("1.0.0", module, manifest) }));
    const slow = await publish("limits:\n  timeoutMs: 900000\n");
    expect(slow.status).toBe(422);
    const { error } = (await slow.json()) as { error: { message: string; field?: string } };
    expect(error.message).toBe(
      "wasmcompute.yaml: limits.timeoutMs is 900000 ms, above this platform's ceiling of 30000 ms (GATEWAY_MAX_TIMEOUT_MS). Lower it, or ask the operator to raise the ceiling.",
    );
    const big = await publish("limits:\n  memoryMb: 4096\n");
    expect(big.status).toBe(422);
    expect(((await big.json()) as { error: { message: string } }).error.message).toMatch(/limits\.memoryMb is 4096 MiB, above this platform's ceiling of 256 MiB \(GATEWAY_MAX_MEMORY_MB\)/);
    // Within the ceilings it publishes.
    expect((await publish("limits:\n  timeoutMs: 30000\n  memoryMb: 256\n")).status).toBe(201);
  });
});
