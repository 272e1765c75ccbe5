// Scale-out as an operator runs it (issue #8): two console processes and two gateway processes on
// one PostgreSQL, each pair behind a load balancer that spreads requests (not connections) round
// robin, and everything the user does goes through the balancers. A session or token made on one
// console works on the other, no KV increment is lost across gateways, either console shows the
// request records both gateways wrote, and a deploy reaches both gateways.
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { fixture } from "@/lib/runtime/fault-test-support";
import { ConsoleClient, apiWithToken, publishForm, type TestAccount } from "@/lib/testing/console-client";
import { freePort, startConsoleProcess, startGatewayProcess, startPlatform, type ConsoleProcess, type Platform } from "@/lib/testing/platform";
import { startRoundRobinProxy, type RoundRobinProxy } from "@/lib/testing/round-robin-proxy";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { waitUntil } from "@/lib/testing/wait-until";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";

let database: TestDatabase;
let dataDir: string;
let platform: Platform; // console A + gateway A
let consoleB: ConsoleProcess;
let gatewayB: ChildProcess;
let gatewayBUrl: string;
let consoleLb: RoundRobinProxy;
let gatewayLb: RoundRobinProxy;
let client: ConsoleClient;
let account: TestAccount;
let api: ReturnType<typeof apiWithToken>;

beforeAll(async () => {
  database = await createTestDatabase("postgres");
  dataDir = await mkdtemp(path.join(os.tmpdir(), "wc-scale-"));
  // The balancers first: both consoles must know the public URL they sit behind.
  consoleLb = await startRoundRobinProxy();
  gatewayLb = await startRoundRobinProxy();
  const publicUrls = { NEXTAUTH_URL: consoleLb.url, GATEWAY_PUBLIC_URL: gatewayLb.url };
  platform = await startPlatform({ dataDir, databaseUrl: database.url, env: { GATEWAY_PROCESSES: "1", ...publicUrls } });
  // Console B shares the database and the secrets `npm start` generated into dataDir, nothing else.
  const [consolePort, gatewayPort] = [await freePort(), await freePort()];
  [consoleB, gatewayB] = await Promise.all([
    startConsoleProcess({ databaseUrl: database.url, port: consolePort, dataDir, env: publicUrls }),
    startGatewayProcess({ databaseUrl: database.url, port: gatewayPort, env: { DATA_DIR: dataDir } }),
  ]);
  gatewayBUrl = `http://127.0.0.1:${gatewayPort}`;
  consoleLb.upstreams.push(platform.consoleUrl, consoleB.url);
  gatewayLb.upstreams.push(platform.gatewayUrl, gatewayBUrl);
}, 180_000);

afterAll(async () => {
  await consoleLb?.close();
  await gatewayLb?.close();
  const gatewayExited = gatewayB && gatewayB.exitCode === null ? new Promise((r) => gatewayB.once("exit", r)) : null;
  gatewayB?.kill("SIGTERM");
  await Promise.all([gatewayExited, consoleB?.stop(), platform?.stop()]);
  await database?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 60_000);

const upstreamOf = (res: Response) => Number(res.headers.get("x-upstream"));
const post = (url: string, body: unknown) => api(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

it("a session and an API token made through one console are accepted by the other", async () => {
  client = new ConsoleClient(consoleLb.url);
  // Sign-up, the CSRF token and the sign-in land on alternate consoles: the CSRF cookie one signed
  // is checked by the other.
  account = await client.signUp();
  const sessions = await Promise.all(Array.from({ length: 6 }, () => client.fetch("/api/auth/session")));
  expect(await Promise.all(sessions.map(async (r) => (await r.json()).user?.email))).toEqual(Array(6).fill(account.email));
  const gets = [];
  for (let i = 0; i < 6; i++) gets.push(await client.fetch("/api/v1/apps"));
  expect(gets.map((r) => r.status)).toEqual(Array(6).fill(200));
  expect(new Set([...sessions, ...gets].map(upstreamOf))).toEqual(new Set([0, 1]));
  // Not just an open endpoint: without the cookie the same request is refused.
  expect((await fetch(`${consoleLb.url}/api/v1/apps`)).status).toBe(401);

  // A cookie POST: its Origin (the balancer's URL) must match the Host the balancer passed on.
  api = apiWithToken(consoleLb.url, await client.createToken("admin"));
  const tokenGets = [];
  for (let i = 0; i < 4; i++) tokenGets.push(await api("/api/v1/tokens"));
  expect(tokenGets.map((r) => r.status)).toEqual(Array(4).fill(200));
  expect(new Set(tokenGets.map(upstreamOf))).toEqual(new Set([0, 1]));
});

interface Answer {
  upstream: number;
  status: number;
  body: string;
  requestId: string;
}
const answers: Answer[] = [];

/** One request to the app through the gateway balancer, remembered with who served it. */
async function hit(): Promise<Answer> {
  const res = await fetchApp(appUrl(gatewayLb.url, account.tenant, "counter"));
  const answer = { upstream: upstreamOf(res), status: res.status, body: await res.text(), requestId: res.headers.get("x-request-id") ?? "" };
  answers.push(answer);
  return answer;
}

const SENT = 40;

it(`${SENT} requests spread over both gateways lose no KV increment`, async () => {
  expect((await post("/api/v1/apps", { name: "counter" })).status).toBe(201);
  // kv-counter: each request atomically adds 1 to the app's key "hits" and answers the new value.
  expect((await api("/api/v1/apps/counter/versions", { method: "POST", body: publishForm("1.0.0", await fixture("kv-counter")) })).status).toBe(201);
  expect((await post("/api/v1/apps/counter/deployments", { version: "1.0.0" })).status).toBe(201);
  // Both gateways serve the deploy (the requests that found it are increments too).
  await waitUntil(async () => {
    await hit();
    return new Set(answers.filter((a) => a.status === 200).map((a) => a.upstream)).size === 2;
  }, 10_000, "the counter served by both gateways");

  const before = answers.length;
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next++ < SENT) await hit();
  }));
  const load = answers.slice(before);
  expect(load.filter((a) => a.status !== 200)).toEqual([]);
  expect(load.filter((a) => a.upstream === 0).length).toBeGreaterThanOrEqual(SENT / 4);
  expect(load.filter((a) => a.upstream === 1).length).toBeGreaterThanOrEqual(SENT / 4);

  // Every increment answered a distinct value, and the store holds their number.
  const increments = answers.filter((a) => a.status === 200);
  expect(increments.map((a) => Number(a.body)).sort((x, y) => x - y)).toEqual(increments.map((_, i) => i + 1));
  const stored = await api("/api/v1/apps/counter/kv/entry?key=hits&raw=1");
  expect(await stored.text()).toBe(String(increments.length));
});

it("either console lists the request records both gateways wrote", async () => {
  const served = answers.filter((a) => a.status === 200);
  // The gateways write their records in batches: wait for all of them, then read from each console.
  await waitUntil(async () => {
    const { logs } = (await (await api("/api/v1/apps/counter/logs?level=request&status=2xx&limit=1000")).json()) as { logs: unknown[] };
    return logs.length >= served.length;
  }, 10_000, "every request record");
  const seenBy = new Map<number, string[]>();
  for (let i = 0; i < 2; i++) {
    const res = await api("/api/v1/apps/counter/logs?level=request&status=2xx&limit=1000");
    seenBy.set(upstreamOf(res), ((await res.json()) as { logs: { requestId: string }[] }).logs.map((l) => l.requestId).sort());
  }
  expect([...seenBy.keys()].sort()).toEqual([0, 1]);
  const expected = served.map((a) => a.requestId).sort();
  expect(seenBy.get(0)).toEqual(expected);
  expect(seenBy.get(1)).toEqual(expected);
  // Records from both gateways are among them.
  expect(new Set(served.map((a) => a.upstream))).toEqual(new Set([0, 1]));
});

it("a version deployed through the console balancer reaches both gateways within seconds", async () => {
  expect((await api("/api/v1/apps/counter/versions", { method: "POST", body: publishForm("2.0.0", await fixture("hello-c")) })).status).toBe(201);
  const deployed = Date.now();
  expect((await post("/api/v1/apps/counter/deployments", { version: "2.0.0" })).status).toBe(201);
  // Two requests in a row go to the two gateways: both must answer with the new version.
  await waitUntil(async () => {
    const pair = [await hit(), await hit()];
    return pair.every((a) => a.status === 200 && a.body === "hello from C\n") && pair[0]!.upstream !== pair[1]!.upstream;
  }, 5000, "2.0.0 on both gateways");
  expect(Date.now() - deployed).toBeLessThan(5000);
  const after = await Promise.all(Array.from({ length: 10 }, hit));
  expect(after.map((a) => `${a.status} ${a.body}`)).toEqual(Array(10).fill("200 hello from C\n"));
  expect(new Set(after.map((a) => a.upstream))).toEqual(new Set([0, 1]));
});

it("each process answers its health checks", async () => {
  for (const url of [platform.consoleUrl, consoleB.url]) {
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: "ready" }]);
  }
  const pids = [];
  for (const url of [platform.gatewayUrl, gatewayBUrl]) {
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    pids.push(((await res.json()) as { ok: boolean; pid: number }).pid);
  }
  expect(new Set(pids).size).toBe(2);
});
