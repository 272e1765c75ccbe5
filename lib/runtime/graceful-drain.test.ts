// Graceful drain (issue #8): SIGTERM to a gateway process while slow requests and a stream of KV
// writes are in flight. The slow requests complete, new connections are refused, every answered
// request has its access record and usage count (exactly: no more, no fewer), exit code 0. Then a
// restart under the same load: no acknowledged KV write, log batch or usage count is lost.
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { freePort, startGatewayProcess, startPlatform, type Platform } from "@/lib/testing/platform";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { signUpTenant, sleep, waitUntil, type Tenant } from "./fault-test-support";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";

let database: TestDatabase;
let platform: Platform;
let dataDir: string;
let tenant: Tenant;
let port: number;
let gateway: ChildProcess | undefined;
let gatewayStderr = "";

/** x-request-id of every response the test received from the drained gateway. */
const answered = new Set<string>();
/** Values the KV counter answered (each one an acknowledged write). */
const counterValues: number[] = [];

beforeAll(async () => {
  database = await createTestDatabase("postgres");
  dataDir = await mkdtemp(path.join(os.tmpdir(), "wc-drain-"));
  platform = await startPlatform({ dataDir, databaseUrl: database.url });
  tenant = await signUpTenant(platform.consoleUrl);
  await tenant.deploy("slow", "slow");
  await tenant.deploy("counter", "kv-counter");
  port = await freePort();
}, 240_000);

afterAll(async () => {
  gateway?.kill("SIGKILL");
  await platform?.stop();
  await database?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function startGateway(processes: number): Promise<ChildProcess> {
  const child = await startGatewayProcess({ databaseUrl: database.url, port, env: { GATEWAY_WORKERS: "4", GATEWAY_PROCESSES: String(processes) } });
  child.stderr!.on("data", (d) => (gatewayStderr += d));
  return child;
}

const url = (app: string) => appUrl(port, tenant.account.tenant, app);

/** GET through the drained gateway, remembering what it answered. */
async function get(app: string): Promise<{ status: number; text: string }> {
  const res = await fetchApp(url(app), { signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  const id = res.headers.get("x-request-id");
  if (id) answered.add(id);
  if (app === "counter" && res.status === 200) counterValues.push(Number(text));
  return { status: res.status, text };
}

/** Back-to-back KV increments until the gateway stops answering (refused or closed connection). */
function counterLoad(concurrency: number): Promise<number[]> {
  return Promise.all(
    Array.from({ length: concurrency }, async () => {
      let ok = 0;
      for (;;) {
        try {
          const { status } = await get("counter");
          expect(status).toBe(200);
          ok++;
        } catch {
          return ok;
        }
      }
    }),
  );
}

function refusesConnections(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (e: NodeJS.ErrnoException) => resolve(e.code === "ECONNREFUSED"));
  });
}

function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

/** Runs load, SIGTERMs the gateway (its primary, with several processes) mid-way and checks the drain. */
async function loadAndDrain(processes: number): Promise<void> {
  gateway = await startGateway(processes);
  await waitUntil(async () => (await get("counter")).status === 200, 15_000, "counter served");
  const load = counterLoad(2);
  await sleep(300);
  const slow = Array.from({ length: 4 }, () => get("slow"));
  await sleep(300);
  const signalled = performance.now();
  gateway.kill("SIGTERM");

  // New connections are refused while the slow requests are still running.
  await waitUntil(refusesConnections, 5000, "connections refused after SIGTERM");
  const refusedAfter = performance.now() - signalled;
  const slowAnswers = await Promise.all(slow);
  expect(slowAnswers).toEqual(Array(4).fill({ status: 200, text: "slept\n" }));
  expect(performance.now() - signalled).toBeGreaterThan(refusedAfter);
  expect(await exitCode(gateway)).toBe(0);
  expect((await load).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  expect(gatewayStderr).not.toMatch(/not written/);
}

async function expectNothingLost(): Promise<void> {
  const apps = await database.db.app.findMany({ where: { name: { in: ["slow", "counter"] } }, select: { id: true } });
  const appIds = apps.map((a) => a.id);
  const records = await database.db.requestRecord.findMany({ where: { appId: { in: appIds } }, select: { id: true } });
  // Exactly the answered requests: none lost, none counted twice, none that was never answered.
  expect(new Set(records.map((r) => r.id))).toEqual(answered);
  const usage = await database.db.usageDaily.findMany({ where: { appId: { in: appIds } } });
  expect(usage.reduce((sum, u) => sum + Number(u.requests), 0)).toBe(answered.size);
  // Every acknowledged increment is in the store, and nothing else.
  const sorted = [...counterValues].sort((a, b) => a - b);
  expect(sorted).toEqual(Array.from({ length: sorted.length }, (_, i) => i + 1));
}

it("SIGTERM drains in-flight requests, refuses new connections, flushes logs and usage, exits 0", async () => {
  await loadAndDrain(1);
  await expectNothingLost();
}, 90_000);

// The restart runs as `npm start` runs the gateway: two processes under a cluster primary, which
// passes SIGTERM on and exits 0 once both have drained.
it("a restart under load loses no acknowledged KV write, log batch or usage count", async () => {
  const before = counterValues.length;
  await loadAndDrain(2);
  expect(counterValues.length).toBeGreaterThan(before);
  await expectNothingLost();
}, 90_000);
