// The console's "Try it" (POST /api/v1/apps/:app/try) reaches its own app and nothing else
// (issue #13 item 13): whatever path is typed, `/../../<other tenant>/<app>/`, encoded dots,
// `/healthz`, `//host/`, or a Host header, the request is a path inside the app. Through the real
// platform, with the gateway's path form turned on, so that a path could name another app if the
// console let it.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";
import { ConsoleClient, apiWithToken, publishForm, type TestAccount } from "@/lib/testing/console-client";
import { startPlatform, type Platform } from "@/lib/testing/platform";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { waitUntil } from "@/lib/testing/wait-until";

const ROOT = path.resolve(import.meta.dirname, "../..");
const fixture = async (name: string) => new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm", `${name}.wasm`)));

let database: TestDatabase;
let platform: Platform;
let dataDir: string;
let alice: TestAccount;
let bob: TestAccount;
let aliceApi: ReturnType<typeof apiWithToken>;

async function deployed(api: ReturnType<typeof apiWithToken>, account: TestAccount, app: string, module: string): Promise<void> {
  const json = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect((await api("/api/v1/apps", json({ name: app }))).status).toBe(201);
  expect((await api(`/api/v1/apps/${app}/versions`, { method: "POST", body: publishForm("1.0.0", await fixture(module)) })).status).toBe(201);
  expect((await api(`/api/v1/apps/${app}/deployments`, json({ version: "1.0.0" }))).status).toBe(201);
  await waitUntil(async () => (await fetchApp(appUrl(platform.gatewayUrl, account.tenant, app))).status === 200, 15_000, `${app} served`);
}

beforeAll(async () => {
  database = await createTestDatabase("postgres");
  dataDir = await mkdtemp(path.join(os.tmpdir(), "wc-try-"));
  platform = await startPlatform({ dataDir, databaseUrl: database.url, env: { GATEWAY_PATH_ROUTING: "on" } });
  const a = new ConsoleClient(platform.consoleUrl);
  alice = await a.signUp();
  aliceApi = apiWithToken(platform.consoleUrl, await a.createToken("deploy"));
  const b = new ConsoleClient(platform.consoleUrl);
  bob = await b.signUp();
  const bobApi = apiWithToken(platform.consoleUrl, await b.createToken("deploy"));
  await deployed(aliceApi, alice, "echo", "echo");
  await deployed(bobApi, bob, "secret", "hello-c");
  // The gateway's path form is on: this path does name bob's app there.
  expect(await (await fetch(`${platform.gatewayUrl}/${bob.tenant}/secret/`)).text()).toBe("hello from C\n");
}, 240_000);

afterAll(async () => {
  await platform?.stop();
  await database?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface Tried {
  status: number;
  body: string;
  url: string;
}

async function tryIt(input: { path: string; headers?: Record<string, string> }): Promise<Tried> {
  const res = await aliceApi("/api/v1/apps/echo/try", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ method: "GET", ...input }) });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { response: Tried }).response;
}

describe("Try it stays inside its app", () => {
  it.each([
    ["dot segments", (bobTenant: string) => `/../../${bobTenant}/secret/`, (bobTenant: string) => `/${bobTenant}/secret/`],
    ["encoded dot segments", (bobTenant: string) => `/%2e%2e/%2E%2e/${bobTenant}/secret/`, (bobTenant: string) => `/${bobTenant}/secret/`],
    ["backslashes", (bobTenant: string) => `/..\\..\\${bobTenant}\\secret\\`, (bobTenant: string) => `/${bobTenant}/secret/`],
    ["the gateway's /healthz", () => "/../../healthz", () => "/healthz"],
    ["no leading slash", (bobTenant: string) => `../${bobTenant}/secret/`, (bobTenant: string) => `/${bobTenant}/secret/`],
    ["a network-path reference", () => "//evil.example/x", () => "//evil.example/x"],
  ])("%s: answered by the app itself, as a path inside it", async (_what, typed, inside) => {
    const tried = await tryIt({ path: typed(bob.tenant) });
    expect(tried.body).not.toContain("hello from C");
    expect(tried.body).not.toContain('"pool"');
    expect(tried.status).toBe(200);
    expect(JSON.parse(tried.body)).toMatchObject({ pathInfo: inside(bob.tenant), env: { SERVER_NAME: `echo--${alice.tenant}.localhost` } });
    expect(tried.url).toBe(appUrl(platform.gatewayUrl, alice.tenant, "echo", inside(bob.tenant)));
  });

  it("ignores a Host header typed into the box", async () => {
    const port = new URL(platform.gatewayUrl).port;
    const tried = await tryIt({ path: "/", headers: { Host: `secret--${bob.tenant}.localhost:${port}`, "x-kept": "yes" } });
    expect(tried.body).not.toContain("hello from C");
    expect(JSON.parse(tried.body)).toMatchObject({ env: { HTTP_HOST: `echo--${alice.tenant}.localhost:${port}`, HTTP_X_KEPT: "yes" } });
  });

  it("shows the app's own URL", async () => {
    const tried = await tryIt({ path: "/items?id=3" });
    expect(tried.url).toBe(appUrl(platform.gatewayUrl, alice.tenant, "echo", "/items?id=3"));
    expect(JSON.parse(tried.body)).toMatchObject({ pathInfo: "/items", query: "id=3" });
  });
});
