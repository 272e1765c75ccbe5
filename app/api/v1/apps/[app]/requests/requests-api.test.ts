// The saved-requests REST API through real HTTP on a fresh PostgreSQL database: create/replace by
// name (URL-encoded), list, delete, the 4xx answers, token scopes, and tenant isolation.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTwoTenants, type TwoTenants } from "@/lib/testing/two-tenants";
import { apiWithToken } from "@/lib/testing/console-client";
import { type TestDatabase } from "@/lib/testing/test-database";

let database: TestDatabase;
let bed: TwoTenants;
let alice: ReturnType<typeof apiWithToken>;
let aliceRead: ReturnType<typeof apiWithToken>;
let bob: ReturnType<typeof apiWithToken>;

const put = (body: unknown) => ({ method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const one = (name: string, app = "shop") => `/api/v1/apps/${app}/requests/${encodeURIComponent(name)}`;

beforeAll(async () => {
  bed = await startTwoTenants({ name: "requests-api", aliceScope: "deploy" });
  ({ database, alice, aliceRead, bob } = bed);
  for (const api of [alice, bob]) expect((await api("/api/v1/apps", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "shop" }) })).status).toBe(201);
}, 180_000);

afterAll(async () => {
  await bed?.stop();
});

it("saves under a URL-encoded name, lists, replaces and deletes", async () => {
  const created = await alice(one("add item (json)"), put({ method: "POST", path: "/items?draft=1", headers: [["content-type", "application/json"]], body: '{"name":"pen"}' }));
  expect(created.status).toBe(200);
  expect((await created.json()).request).toMatchObject({ name: "add item (json)", method: "POST", path: "/items?draft=1", headers: [["content-type", "application/json"]], body: '{"name":"pen"}' });
  expect((await alice(one("home"), put({ method: "GET", path: "/" }))).status).toBe(200);

  const listed = await (await aliceRead("/api/v1/apps/shop/requests")).json();
  expect(listed.requests.map((r: { name: string }) => r.name)).toEqual(["add item (json)", "home"]);

  const replaced = await (await alice(one("home"), put({ method: "HEAD", path: "/health" }))).json();
  expect(replaced.request).toMatchObject({ name: "home", method: "HEAD", path: "/health", body: "" });
  expect((await (await alice("/api/v1/apps/shop/requests")).json()).requests).toHaveLength(2);

  expect((await alice(one("home"), { method: "DELETE" })).status).toBe(204);
  const gone = await alice(one("home"), { method: "DELETE" });
  expect(gone.status).toBe(404);
  expect((await gone.json()).error.message).toMatch(/No saved request named "home"/);
  expect((await (await alice("/api/v1/apps/shop/requests")).json()).requests.map((r: { name: string }) => r.name)).toEqual(["add item (json)"]);
});

it("answers 4xx a person can act on", async () => {
  const cases: [string, unknown, number, RegExp][] = [
    [one("x"), { method: "TRACE", path: "/" }, 422, /^method: Use one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS/],
    [one("x"), { method: "GET", path: "items" }, 422, /^path: The path must start with "\/"/],
    [one("x"), { method: "POST", path: "/", body: "x".repeat(64 * 1024 + 1) }, 413, /^body: 65537 bytes is over the 64 KiB/],
    [one(" x"), { method: "GET", path: "/" }, 422, /^name: A name cannot start or end with a space/],
    [one("a/b"), { method: "GET", path: "/" }, 422, /^name: A name cannot contain "\/"/],
  ];
  for (const [url, body, status, message] of cases) {
    const res = await alice(url, put(body));
    const answer = await res.json();
    expect({ status: res.status, message: answer.error?.message }).toEqual({ status, message: expect.stringMatching(message) });
  }
  const notJson = await alice(one("x"), { method: "PUT", headers: { "content-type": "application/json" }, body: "{" });
  expect(notJson.status).toBe(400);
  expect((await (await alice("/api/v1/apps/shop/requests")).json()).requests).toHaveLength(1);
});

it("refuses the 101st saved request with 409, and a read token may list but not write", async () => {
  for (let i = 1; i < 100; i++) expect((await alice(one(`r${i}`), put({ method: "GET", path: `/${i}` }))).status).toBe(200);
  const over = await alice(one("r100"), put({ method: "GET", path: "/" }));
  expect(over.status).toBe(409);
  expect((await over.json()).error.message).toMatch(/already has 100 saved requests, the most an app keeps\. Delete one/);
  expect((await alice(one("r1"), put({ method: "GET", path: "/one" }))).status).toBe(200);

  expect((await aliceRead(one("r1"), put({ method: "GET", path: "/" }))).status).toBe(403);
  expect((await aliceRead(one("r1"), { method: "DELETE" })).status).toBe(403);
  expect((await aliceRead("/api/v1/apps/shop/requests")).status).toBe(200);
});

it("never lets tenant B reach tenant A's saved requests", async () => {
  expect(await (await bob("/api/v1/apps/shop/requests")).json()).toEqual({ requests: [] });
  expect((await bob(one("r1"), { method: "DELETE" })).status).toBe(404);
  expect((await bob("/api/v1/apps/nope/requests")).status).toBe(404);
  expect((await (await alice("/api/v1/apps/shop/requests")).json()).requests.find((r: { name: string }) => r.name === "r1")).toMatchObject({ path: "/one" });
});
