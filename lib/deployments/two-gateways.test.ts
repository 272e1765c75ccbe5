// Two gateway processes over one PostgreSQL: a deploy reaches both within a second, and while it
// happens every request is served wholly by the old or the new version.
import type { ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ConsoleClient, apiWithToken, publishForm, type TestAccount } from "@/lib/testing/console-client";
import { freePort, startGatewayProcess, startPlatform, type Platform } from "@/lib/testing/platform";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";

const ROOT = path.resolve(import.meta.dirname, "../..");
const fixture = async (name: string) => new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm", `${name}.wasm`)));

let database: TestDatabase;
let platform: Platform;
let dataDir: string;
let second: ChildProcess;
let secondUrl: string;
let account: TestAccount;
let api: ReturnType<typeof apiWithToken>;

beforeAll(async () => {
  database = await createTestDatabase("postgres");
  dataDir = await mkdtemp(path.join(os.tmpdir(), "wc-2gw-"));
  platform = await startPlatform({ dataDir, databaseUrl: database.url });
  const port = await freePort();
  second = await startGatewayProcess({ databaseUrl: database.url, port });
  secondUrl = `http://127.0.0.1:${port}`;
  const client = new ConsoleClient(platform.consoleUrl);
  account = await client.signUp();
  api = apiWithToken(platform.consoleUrl, await client.createToken("deploy"));
}, 180_000);

afterAll(async () => {
  second?.kill("SIGTERM");
  await platform?.stop();
  await database?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const post = (url: string, body: unknown) => api(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

async function waitFor(url: string, body: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const res = await fetchApp(url);
    if ((await res.text()) === body) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${url} did not serve ${JSON.stringify(body)} within ${timeoutMs} ms`);
}

it("a deploy reaches both gateways within a second, atomically", async () => {
  expect((await post("/api/v1/apps", { name: "shared" })).status).toBe(201);
  for (const [version, name] of [["1.0.0", "hello-wat"], ["2.0.0", "hello-c"]] as const) {
    expect((await api("/api/v1/apps/shared/versions", { method: "POST", body: publishForm(version, await fixture(name)) })).status).toBe(201);
  }
  const urls = [platform.gatewayUrl, secondUrl].map((g) => appUrl(g, account.tenant, "shared"));
  expect((await post("/api/v1/apps/shared/deployments", { version: "1.0.0" })).status).toBe(201);
  await Promise.all(urls.map((u) => waitFor(u, "hello from WAT\n", 1000)));

  // Keep both gateways busy while the deploy happens; every answer must be one whole version.
  const seen: string[] = [];
  let stop = false;
  const load = urls.map(async (u) => {
    while (!stop) {
      const res = await fetchApp(u);
      seen.push(`${res.status} ${await res.text()}`);
    }
  });
  await new Promise((r) => setTimeout(r, 100));
  const deployed = Date.now();
  expect((await post("/api/v1/apps/shared/deployments", { version: "2.0.0" })).status).toBe(201);
  const latencies = await Promise.all(urls.map((u) => waitFor(u, "hello from C\n", 1000)));
  stop = true;
  await Promise.all(load);

  expect(Math.max(...latencies)).toBeLessThan(1000);
  expect(Date.now() - deployed).toBeLessThan(2000);
  expect(new Set(seen)).toEqual(new Set(["200 hello from WAT\n", "200 hello from C\n"]));
  expect(seen.length).toBeGreaterThan(10);
});
