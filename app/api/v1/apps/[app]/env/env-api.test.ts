// The env REST API through real HTTP (console and gateway started like `npm start`) on a fresh
// PostgreSQL database: a secret's value is in no response after saving, nor in the console's or
// the gateway's output; the gateway serves it to the guest; scopes; tenant B gets 404 everywhere.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTwoTenants, type TwoTenants } from "@/lib/testing/two-tenants";
import { apiWithToken, publishForm, type TestAccount } from "@/lib/testing/console-client";
import { type Platform } from "@/lib/testing/platform";
import { type TestDatabase } from "@/lib/testing/test-database";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";

const ROOT = path.resolve(import.meta.dirname, "../../../../../..");
const SECRET = "sk_live_" + randomBytes(16).toString("hex");

let database: TestDatabase;
let platform: Platform;
let dataDir: string;
let account: TestAccount;
let bed: TwoTenants;
let alice: ReturnType<typeof apiWithToken>;
let aliceRead: ReturnType<typeof apiWithToken>;
let bob: ReturnType<typeof apiWithToken>;
/** Every response body this test received, to search for the secret at the end. */
const bodies: string[] = [];

const json = (method: string, body: unknown) => ({ method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
async function call(api: ReturnType<typeof apiWithToken>, url: string, init?: RequestInit) {
  const res = await api(url, init);
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, text, body: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  bed = await startTwoTenants({ name: "env-api" });
  ({ database, platform, dataDir, account, alice, aliceRead, bob } = bed);
  for (const api of [alice, bob]) expect((await api("/api/v1/apps", json("POST", { name: "shop" }))).status).toBe(201);
  const echo = new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm/echo.wasm")));
  expect((await alice("/api/v1/apps/shop/versions", { method: "POST", body: publishForm("1.0.0", echo) })).status).toBe(201);
  expect((await alice("/api/v1/apps/shop/deployments", json("POST", { version: "1.0.0" }))).status).toBe(201);
}, 180_000);

afterAll(async () => {
  await bed?.stop();
});

it("generates the secrets key into DATA_DIR with mode 0600", async () => {
  const { stat } = await import("node:fs/promises");
  expect((await stat(path.join(dataDir, "secrets-key"))).mode & 0o777).toBe(0o600);
});

it("never answers a secret's value after saving it, and the gateway hands it to the guest", async () => {
  const put = await call(alice, "/api/v1/apps/shop/env/API_KEY", json("PUT", { value: SECRET, secret: true }));
  expect(put.status).toBe(200);
  expect(put.body).toEqual({ var: { name: "API_KEY", secret: true, updatedAt: expect.any(String) } });
  expect((await call(alice, "/api/v1/apps/shop/env/GREETING", json("PUT", { value: "hello" }))).status).toBe(200);

  const list = await call(aliceRead, "/api/v1/apps/shop/env");
  expect(list.body).toMatchObject({
    environment: "production",
    vars: [{ name: "API_KEY", secret: true }, { name: "GREETING", secret: false, value: "hello" }],
    plain: { GREETING: "hello" },
  });
  expect(Object.keys(list.body.vars[0])).toEqual(["name", "secret", "updatedAt"]);

  // The gateway's next requests see it (within its epoch poll), without a new version.
  const url = appUrl(platform.gatewayUrl, account.tenant, "shop");
  let seen: Record<string, string> = {};
  for (const deadline = Date.now() + 10_000; Date.now() < deadline && seen.API_KEY !== SECRET; await new Promise((r) => setTimeout(r, 100))) {
    const res = await fetchApp(url);
    if (res.ok) seen = ((await res.json()) as { env: Record<string, string> }).env;
  }
  expect(seen).toMatchObject({ API_KEY: SECRET, GREETING: "hello" });
  // The try-it endpoint answers with the guest's output: that is the app's business, not a leak.

  // Preview is a separate environment.
  expect((await call(alice, "/api/v1/apps/shop/env/GREETING?environment=preview", json("PUT", { value: "preview" }))).status).toBe(200);
  expect((await call(alice, "/api/v1/apps/shop/env?environment=preview")).body.plain).toEqual({ GREETING: "preview" });

  const del = await call(alice, "/api/v1/apps/shop/env/API_KEY", { method: "DELETE" });
  expect(del.status).toBe(204);
  expect((await call(alice, "/api/v1/apps/shop/env/API_KEY", { method: "DELETE" })).status).toBe(404);

  for (const body of bodies) expect(body).not.toContain(SECRET);
  // Console and gateway output (request logging is off here; errors and warnings are not).
  expect(platform.output()).not.toContain(SECRET);
});

it("explains bad names, values and environments, and needs a deploy token to write", async () => {
  const reserved = await call(alice, "/api/v1/apps/shop/env/HTTP_HOST", json("PUT", { value: "x" }));
  expect(reserved.status).toBe(422);
  expect(reserved.body.error).toMatchObject({ field: "name", message: expect.stringMatching(/set by the gateway for every request/) });
  expect((await call(alice, "/api/v1/apps/shop/env/9LIVES", json("PUT", { value: "x" }))).body.error.field).toBe("name");
  const big = await call(alice, "/api/v1/apps/shop/env/BIG", json("PUT", { value: "x".repeat(17_000) }));
  expect(big.body.error).toMatchObject({ field: "value", message: expect.stringMatching(/at most 16384 bytes/) });
  expect((await call(alice, "/api/v1/apps/shop/env?environment=staging")).status).toBe(422);
  const read = await call(aliceRead, "/api/v1/apps/shop/env/X", json("PUT", { value: "x" }));
  expect(read.status).toBe(403);
});

it("gives another tenant 404 for every env route, even with the same app name", async () => {
  await call(alice, "/api/v1/apps/shop/env/ONLY_ALICE", json("PUT", { value: "a" }));
  expect((await call(bob, "/api/v1/apps/shop/env")).body.vars).toEqual([]);
  expect((await call(bob, "/api/v1/apps/shop/env/ONLY_ALICE", { method: "DELETE" })).status).toBe(404);
  for (const [url, init] of [
    ["/api/v1/apps/nope/env", undefined],
    ["/api/v1/apps/nope/env/X", json("PUT", { value: "x" })],
    ["/api/v1/apps/nope/env/X", { method: "DELETE" }],
  ] as const) {
    expect((await call(bob, url, init)).status).toBe(404);
  }
  expect((await call(alice, "/api/v1/apps/shop/env")).body.plain).toMatchObject({ ONLY_ALICE: "a" });
});
