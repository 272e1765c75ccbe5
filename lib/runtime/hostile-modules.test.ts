// Hostile modules (issue #8, fault tests): each is published and deployed by tenant A through the
// real API and served by the real platform (console + gateway process, PostgreSQL). For each:
// the status and error code the gateway promises (docs/abi.md, docs/operations.md), a request
// record whose log lines explain it in words, and all the while tenant B's hello module keeps
// answering 200 with p99 under NEIGHBOUR_P99_BOUND_MS. Then the worker pool is whole again.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishForm } from "@/lib/testing/console-client";
import { startPlatform, type Platform } from "@/lib/testing/platform";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { NEIGHBOUR_P99_BOUND_MS, fixture, percentile, signUpTenant, sleep, startStream, waitUntil, type Tenant } from "./fault-test-support";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";

let database: TestDatabase;
let platform: Platform;
let dataDir: string;
let tenantA: Tenant;
let tenantB: Tenant;

interface HostileCase {
  app: string;
  fixture: string;
  manifest?: string;
  status: number;
  code: string | null;
  /** What the explanation (response and error log line) must say. */
  explains: RegExp;
}

const CASES: HostileCase[] = [
  { app: "loop", fixture: "loop", manifest: "limits:\n  timeoutMs: 1000\n", status: 504, code: "deadline-exceeded", explains: /did not finish within its 1000 ms limit and was stopped/ },
  { app: "stdin-forever", fixture: "stdin-forever", manifest: "limits:\n  timeoutMs: 1000\n", status: 504, code: "deadline-exceeded", explains: /did not finish within its 1000 ms limit/ },
  { app: "memory-grow", fixture: "memory-grow", manifest: "limits:\n  memoryMb: 16\n", status: 502, code: "out-of-memory", explains: /ran out of memory: it reached its 16 MiB limit/ },
  { app: "stack-overflow", fixture: "stack-overflow", status: 502, code: "guest-trap", explains: /crashed while handling the request \(WebAssembly trap: .*Maximum call stack size exceeded/ },
  { app: "huge-response", fixture: "huge-response", status: 502, code: "response-too-large", explains: /response exceeded its \d+ byte limit and was discarded/ },
  { app: "bad-cgi", fixture: "bad-cgi", status: 502, code: "bad-cgi-response", explains: /not a valid CGI response.*this is not a CGI response/ },
  // Huge but legitimate: it publishes, instantiates and answers.
  { app: "many-exports", fixture: "many-exports", status: 200, code: null, explains: /^GET \/ 200 [\d.]+ ms$/ },
];

const HELLO = "hello from WAT\n";
let helloUrl: string;

beforeAll(async () => {
  database = await createTestDatabase("postgres");
  dataDir = await mkdtemp(path.join(os.tmpdir(), "wc-hostile-"));
  // One gateway process, so /healthz always describes the pool that ran the hostile module.
  platform = await startPlatform({
    dataDir,
    databaseUrl: database.url,
    env: { GATEWAY_PROCESSES: "1", ...(process.env.FAULT_TEST_LOG ? { GATEWAY_LOG: "json" } : {}) },
  });
  [tenantA, tenantB] = [await signUpTenant(platform.consoleUrl), await signUpTenant(platform.consoleUrl)];
  await tenantB.deploy("hello", "hello-wat");
  for (const c of CASES) await tenantA.deploy(c.app, c.fixture, c.manifest);
  // The worker's heap holds every log line until the request ends: this one floods it.
  await tenantA.deploy("log-flood", "log-flood", "limits:\n  timeoutMs: 60000\n");
  helloUrl = appUrl(platform.gatewayUrl, tenantB.account.tenant, "hello");
  await waitUntil(async () => (await fetchApp(helloUrl)).status === 200, 10_000, "hello deployed");
}, 240_000);

afterAll(async () => {
  // FAULT_TEST_LOG=<file>: keep the platform's output (one JSON line per request) for a failed run.
  if (process.env.FAULT_TEST_LOG && platform) (await import("node:fs")).writeFileSync(process.env.FAULT_TEST_LOG, platform.output());
  await platform?.stop();
  await database?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function health(): Promise<{ pool: { size: number; ready: number; respawns: number } }> {
  return (await (await fetch(`${platform.gatewayUrl}/healthz`)).json()) as never;
}

/** Runs `hostile` while tenant B's hello stream runs, and checks the stream. */
async function besideNeighbour<T>(hostile: () => Promise<T>): Promise<T> {
  const stream = startStream(helloUrl, HELLO, 2);
  const value = await (async () => {
    try {
      await sleep(200);
      return await hostile();
    } finally {
      // Keep going while the pool replaces any worker it stopped.
      await sleep(500);
    }
  })().finally(() => stream.stop());
  const { statuses, latencies, failures } = await stream.stop();
  expect(failures).toEqual([]);
  expect(statuses.length).toBeGreaterThan(5);
  expect(percentile(latencies, 99), `p99 of ${latencies.length} neighbour requests`).toBeLessThan(NEIGHBOUR_P99_BOUND_MS);
  return value;
}

interface RequestLogView {
  request: { id: string; status: number; errorCode?: string | null; error: string | null };
  lines: { level: string; message: string }[];
}

async function requestLog(app: string, requestId: string): Promise<RequestLogView> {
  return waitUntil(
    async () => {
      const res = await tenantA.api(`/api/v1/apps/${app}/logs/requests/${requestId}`);
      return res.status === 200 ? ((await res.json()) as RequestLogView) : null;
    },
    10_000,
    `request record ${requestId} of ${app}`,
  );
}

describe("hostile modules: the right status, a log line that explains it, the neighbour unharmed", () => {
  it.each(CASES)("$app → $status $code", async (c) => {
    const res = await besideNeighbour(() => fetchApp(appUrl(platform.gatewayUrl, tenantA.account.tenant, c.app), { signal: AbortSignal.timeout(30_000) }));
    const text = await res.text();
    expect(res.status, text.slice(0, 300)).toBe(c.status);
    const requestId = res.headers.get("x-request-id")!;
    const log = await requestLog(c.app, requestId);
    expect(log.request.status).toBe(c.status);
    expect(log.lines[0]).toMatchObject({ level: "request", message: expect.stringContaining(` ${c.status} `) });
    if (c.code) {
      const body = JSON.parse(text) as { error: { code: string; message: string } };
      expect(body.error.code).toBe(c.code);
      expect(body.error.message).toMatch(c.explains);
      expect(log.request.error).toMatch(c.explains);
      const errorLine = log.lines.find((l) => l.level === "error");
      expect(errorLine?.message).toMatch(new RegExp(`^${c.code}: `));
      expect(errorLine?.message).toMatch(c.explains);
    } else {
      expect(text).toBe("hello with 10000 exports\n");
      expect(log.lines[0]!.message).toMatch(c.explains);
    }
    await waitUntil(async () => {
      const { pool } = await health();
      return pool.ready === pool.size;
    }, 10_000, "worker pool back to full size");
  });

  it("refuses bytes that are not wasm at publish with a 422 that says so", async () => {
    await besideNeighbour(async () => {
      expect((await tenantA.post("/api/v1/apps", { name: "not-wasm" })).status).toBe(201);
      const res = await tenantA.api("/api/v1/apps/not-wasm/versions", {
        method: "POST",
        body: publishForm("1.0.0", new TextEncoder().encode("#!/bin/sh\necho this is a shell script, not wasm\n")),
      });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/not a valid WebAssembly module/);
    });
    // Nothing was published, so nothing is served.
    expect((await fetchApp(appUrl(platform.gatewayUrl, tenantA.account.tenant, "not-wasm"))).status).toBe(404);
  });
});

describe("a worker crash mid-request", () => {
  it("fails only that request (5xx, explained), the neighbour is unharmed and the pool refills", async () => {
    const before = (await health()).pool;
    const res = await besideNeighbour(() => fetchApp(appUrl(platform.gatewayUrl, tenantA.account.tenant, "log-flood"), { signal: AbortSignal.timeout(30_000) }));
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(res.status).toBe(502);
    // The worker thread died at its heap cap (ERR_WORKER_OUT_OF_MEMORY), not at the app's deadline.
    expect(body.error.code).toBe("out-of-memory");
    expect(body.error.message).toMatch(/made the host hold too much data/);
    const log = await requestLog("log-flood", res.headers.get("x-request-id")!);
    expect(log.lines.find((l) => l.level === "error")?.message).toMatch(/^out-of-memory: The app made the host hold too much data/);

    const after = await waitUntil(async () => {
      const { pool } = await health();
      return pool.ready === pool.size && pool.respawns > before.respawns ? pool : null;
    }, 10_000, "a replacement worker");
    expect(after.size).toBe(before.size);
    // The refilled pool serves everyone, A included.
    const again = await Promise.all(Array.from({ length: 8 }, () => fetchApp(helloUrl).then((r) => r.status)));
    expect(again).toEqual(Array(8).fill(200));
    expect((await fetchApp(appUrl(platform.gatewayUrl, tenantA.account.tenant, "many-exports"))).status).toBe(200);
  });
});

describe("an app's own limits (wasmcompute.yaml)", () => {
  it("refuses a body over its maxRequestBytes (413) and a response over its maxResponseBytes (502), naming each limit", async () => {
    await tenantA.deploy("echo-limited", "echo", "limits:\n  maxRequestBytes: 1024\n  maxResponseBytes: 200\n");
    const url = appUrl(platform.gatewayUrl, tenantA.account.tenant, "echo-limited");
    const big = await waitUntil(async () => {
      const res = await fetchApp(url, { method: "POST", body: "x".repeat(2048) });
      return res.status === 404 ? null : res;
    }, 10_000, "echo-limited deployed");
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: string; message: string } }).error.message).toContain("1024 byte limit");
    // The echo module answers every env var and the body as JSON: well over 200 bytes.
    const res = await fetchApp(url, { method: "POST", body: "small" });
    expect(res.status).toBe(502);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("response-too-large");
    expect(error.message).toContain("200 byte limit");
  });
});
