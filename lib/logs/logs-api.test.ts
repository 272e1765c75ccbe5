// Logs and metering end to end, over real HTTP on a fresh PostgreSQL database: the platform
// (console + gateway) plus a second gateway process, as in production with several gateways.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleClient, apiWithToken, publishForm, type TestAccount } from "@/lib/testing/console-client";
import { freePort, startGatewayProcess, startPlatform, type Platform } from "@/lib/testing/platform";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { waitUntil } from "@/lib/testing/wait-until";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";

const ROOT = path.resolve(import.meta.dirname, "../..");
const fixture = async (name: string) => new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm", `${name}.wasm`)));
// The issue asks for 10,000: exact metering is only believable at a volume where batching, retries and the
// stop of a gateway mid-stream all happen.
const METERED = Number(process.env.LOGS_TEST_REQUESTS ?? 10_000);

let database: TestDatabase;
let platform: Platform;
let dataDir: string;
let second: ChildProcess;
let secondUrl: string;
let account: TestAccount;
let token: string;
let api: ReturnType<typeof apiWithToken>;

beforeAll(async () => {
  database = await createTestDatabase("postgres");
  dataDir = await mkdtemp(path.join(os.tmpdir(), "wc-logs-"));
  platform = await startPlatform({ dataDir, databaseUrl: database.url });
  const port = await freePort();
  second = await startGatewayProcess({ databaseUrl: database.url, port });
  secondUrl = `http://127.0.0.1:${port}`;
  const client = new ConsoleClient(platform.consoleUrl);
  account = await client.signUp();
  token = await client.createToken("deploy");
  api = apiWithToken(platform.consoleUrl, token);
  for (const [app, module, manifest] of [
    ["logger", "stderr", undefined],
    ["crash", "trap", undefined],
    ["metered", "hello-wat", "limits:\n  memoryMb: 64\n"],
  ] as const) {
    expect((await post("/api/v1/apps", { name: app })).status).toBe(201);
    expect((await api(`/api/v1/apps/${app}/versions`, { method: "POST", body: publishForm("1.0.0", await fixture(module), manifest) })).status).toBe(201);
    expect((await post(`/api/v1/apps/${app}/deployments`, { version: "1.0.0" })).status).toBe(201);
  }
  for (const g of [platform.gatewayUrl, secondUrl]) await waitUntil(async () => (await fetchApp(appUrl(g, account.tenant, "metered"))).status === 200);
  // Those readiness requests are metered too: start the counts from a clean slate.
  await new Promise((r) => setTimeout(r, 1000));
  await database.db.requestRecord.deleteMany({});
  await database.db.logLine.deleteMany({});
  await database.db.usageDaily.deleteMany({});
}, 240_000);

afterAll(async () => {
  second?.kill("SIGTERM");
  await platform?.stop();
  await database?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function post(url: string, body: unknown) {
  return api(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}


const urlOf = (gateway: string, app: string, rest = "") => appUrl(gateway, account.tenant, app, `/${rest}`);

describe("log API", () => {
  it("shows a module's stderr lines under the request id the gateway returned", async () => {
    const res = await fetchApp(urlOf(platform.gatewayUrl, "logger", "hello?x=1"));
    expect(await res.text()).toBe("logged two lines\n");
    const requestId = res.headers.get("x-request-id")!;
    const started = Date.now();
    const body = await waitUntil(async () => {
      const b = await (await api(`/api/v1/apps/logger/logs?requestId=${requestId}`)).json();
      return b.logs.length >= 3 ? b : null;
    });
    expect(Date.now() - started).toBeLessThan(2000);
    // Newest first: the access line comes first when read oldest first.
    expect(body.logs.map((l: { level: string; message: string }) => [l.level, l.message]).reverse()).toEqual([
      ["request", expect.stringMatching(/^GET \/hello\?x=1 200 [\d.]+ ms$/)],
      ["stderr", "starting handler"],
      ["stderr", "warning: something odd but harmless"],
    ]);
    expect(body.logs.every((l: { requestId: string; status: number; version: string }) => l.requestId === requestId && l.status === 200 && l.version === "1.0.0")).toBe(true);

    const detail = await (await api(`/api/v1/apps/logger/logs/requests/${requestId}`)).json();
    expect(detail.request).toMatchObject({ id: requestId, method: "GET", status: 200, version: "1.0.0", bytesOut: "logged two lines\n".length, route: "/...", error: null });
    expect(detail.request.memoryBytes).toBeGreaterThan(0);
    expect(detail.lines).toHaveLength(3);
  });

  it("logs a failed request with the gateway's explanation; filters by status, level, text and version", async () => {
    const res = await fetchApp(urlOf(platform.gatewayUrl, "crash"));
    expect(res.status).toBe(502);
    const requestId = res.headers.get("x-request-id")!;
    const errors = await waitUntil(async () => {
      const b = await (await api(`/api/v1/apps/crash/logs?status=5xx&level=error`)).json();
      return b.logs.length ? b.logs : null;
    });
    expect(errors[0]).toMatchObject({ requestId, level: "error", status: 502, message: expect.stringMatching(/^guest-trap: The app crashed while handling the request/) });
    const q = async (query: string) => (await (await api(`/api/v1/apps/crash/logs?${query}`)).json()).logs.length;
    expect(await q("status=404")).toBe(0);
    expect(await q("status=2xx,5xx&level=request")).toBe(1);
    expect(await q("q=CRASHED")).toBe(1);
    expect(await q("q=100%25_")).toBe(0);
    expect(await q("version=1.0.0&from=1h")).toBeGreaterThan(0);
    expect(await q(`from=${new Date(Date.now() + 60_000).toISOString()}`)).toBe(0);
    expect((await api(`/api/v1/apps/crash/logs?version=9.9.9`)).status).toBe(404);
    const bad = await api(`/api/v1/apps/crash/logs?status=5x`);
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.message).toBe('Status: use a code like 404 or a class like 5xx ("5x" is not one).');
  });

  it("pages newest first with a cursor and follows with `after`", async () => {
    for (let i = 0; i < 5; i++) await fetchApp(urlOf(secondUrl, "logger", `page/${i}`));
    await waitUntil(async () => (await (await api(`/api/v1/apps/logger/logs?level=request&q=page/4`)).json()).logs.length === 1);
    const first = await (await api(`/api/v1/apps/logger/logs?level=request&q=page/&limit=3`)).json();
    expect(first.logs.map((l: { path: string }) => l.path.split("/").pop())).toEqual(["4", "3", "2"]);
    const next = await (await api(`/api/v1/apps/logger/logs?level=request&q=page/&limit=3&before=${first.nextCursor}`)).json();
    expect(next.logs.map((l: { path: string }) => l.path.split("/").pop())).toEqual(["1", "0"]);
    expect(next.nextCursor).toBeNull();
    const after = await (await api(`/api/v1/apps/logger/logs?level=request&q=page/&after=${next.logs[0].id}`)).json();
    expect(after.logs.map((l: { path: string }) => l.path.split("/").pop())).toEqual(["2", "3", "4"]);
  });

  it("the SSE tail receives the lines produced through both gateways", async () => {
    const controller = new AbortController();
    const res = await api(`/api/v1/apps/logger/logs/stream`, { signal: controller.signal });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    await reader.read().then(({ value }) => (text += value ?? "")); // the greeting: the tail is attached

    const ids: string[] = [];
    const sent = [platform.gatewayUrl, secondUrl].flatMap((g) => Array.from({ length: 10 }, (_, i) => urlOf(g, "logger", `tail/${i}`)));
    await Promise.all(sent.map(async (u) => ids.push((await fetchApp(u)).headers.get("x-request-id")!)));

    const events = new Map<string, { level: string; requestId: string }>();
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const { value, done } = await Promise.race([reader.read(), new Promise<{ value: undefined; done: false }>((r) => setTimeout(() => r({ value: undefined, done: false }), 500))]);
      if (done) break;
      text += value ?? "";
      for (const block of text.split("\n\n")) {
        const id = /^id: (\d+)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (id && data && /^event: log$/m.test(block)) events.set(id, JSON.parse(data));
      }
      if (events.size >= ids.length * 3) break;
    }
    controller.abort();
    const byRequest = new Map<string, number>();
    for (const e of events.values()) byRequest.set(e.requestId, (byRequest.get(e.requestId) ?? 0) + 1);
    expect(ids.every((id) => byRequest.get(id) === 3)).toBe(true);
    expect(events.size).toBe(ids.length * 3);
  });

  it("wasmcompute logs --status 5xx prints the failed request's lines", async () => {
    const bin = path.join(ROOT, "cli/bin.mjs");
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [bin, "logs", "--app", "crash", "--status", "5xx"],
        { env: { ...process.env, WASMCOMPUTE_URL: platform.consoleUrl, WASMCOMPUTE_TOKEN: token, WASMCOMPUTE_CONFIG: path.join(dataDir, "cli.json") } },
        (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout)),
      ),
    );
    const lines = out.trim().split("\n");
    expect(lines[0]).toMatch(/^\S+Z {2}request {2}\[[0-9a-f]{8}\] {2}GET \/ 502/);
    expect(lines.at(-1)).toMatch(/ {2}error {2}\[[0-9a-f]{8}\] {2}guest-trap: The app crashed/);

    // --follow: a request made after it started shows up (through the SSE tail).
    const follow = spawn(process.execPath, [bin, "logs", "--app", "logger", "--follow", "--level", "stderr"], {
      env: { ...process.env, WASMCOMPUTE_URL: platform.consoleUrl, WASMCOMPUTE_TOKEN: token, WASMCOMPUTE_CONFIG: path.join(dataDir, "cli.json") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let followed = "";
    follow.stdout!.on("data", (d) => (followed += d));
    try {
      await new Promise((r) => setTimeout(r, 1500)); // connected (a slow start only means the line comes from the first page)
      const requestId = (await fetchApp(urlOf(secondUrl, "logger", "followed"))).headers.get("x-request-id")!;
      const tag = `[${requestId.slice(0, 8)}]`;
      await waitUntil(async () => followed.includes(`${tag}  warning: something odd`), 8000);
      await new Promise((r) => setTimeout(r, 1000)); // a line printed twice would show up by now
      expect(followed.split("\n").filter((l) => l.includes(tag))).toEqual([
        expect.stringMatching(/stderr {2}\[[0-9a-f]{8}\] {2}starting handler$/),
        expect.stringMatching(/stderr {2}\[[0-9a-f]{8}\] {2}warning: something odd but harmless$/),
      ]);
    } finally {
      follow.kill("SIGINT");
    }
  });

  it("other tenants get 404 for the logs, a request and the tail", async () => {
    const other = new ConsoleClient(platform.consoleUrl);
    await other.signUp();
    const otherApi = apiWithToken(platform.consoleUrl, await other.createToken("read"));
    const { logs } = await (await api(`/api/v1/apps/logger/logs?limit=1`)).json();
    for (const url of ["/api/v1/apps/logger/logs", "/api/v1/apps/logger/logs/stream", `/api/v1/apps/logger/logs/requests/${logs[0].requestId}`]) {
      expect((await otherApi(url)).status).toBe(404);
    }
  });
});

describe("metering", () => {
  it(`${METERED} requests over two gateways give exactly ${METERED} records and counted requests, also when one stops right after`, async () => {
    const urls = [platform.gatewayUrl, secondUrl].map((g) => urlOf(g, "metered"));
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < METERED) {
          const i = next++;
          const res = await fetchApp(urls[i % 2]!);
          await res.arrayBuffer();
          statuses.push(res.status);
        }
      }),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(METERED);
    // The second gateway is stopped at once: it must write what it buffered before it exits.
    const exited = new Promise((r) => second.once("exit", r));
    second.kill("SIGTERM");
    await exited;

    const app = await database.db.app.findFirstOrThrow({ where: { name: "metered" } });
    await waitUntil(async () => (await database.db.requestRecord.count({ where: { appId: app.id } })) >= METERED, 30_000);
    await new Promise((r) => setTimeout(r, 600)); // anything counted twice would show up by now
    expect(await database.db.requestRecord.count({ where: { appId: app.id } })).toBe(METERED);
    const usage = await database.db.usageDaily.findMany({ where: { appId: app.id } });
    expect(usage.reduce((n, u) => n + u.requests, 0n)).toBe(BigInt(METERED));
    expect(usage.reduce((n, u) => n + u.egressBytes, 0n)).toBe(BigInt(METERED * "hello from WAT\n".length));
    const records = await database.db.requestRecord.findMany({ where: { appId: app.id }, select: { durationMs: true } });
    const gbs = records.reduce((s, r) => s + (64 / 1024) * (Math.ceil(r.durationMs) / 1000), 0);
    expect(usage.reduce((s, u) => s + u.gbSeconds, 0)).toBeCloseTo(gbs, 6);

    const summary = await (await api("/api/v1/usage")).json();
    expect(summary.usage.apps.find((a: { app: string }) => a.app === "metered").requests).toBe(METERED);
    expect(summary.comparisons.map((b: { provider: string }) => b.provider)).toEqual(["AWS Lambda", "Cloudflare Workers"]);
    expect(summary.comparisons[1].total).toBe(5);
  }, 300_000);
});
