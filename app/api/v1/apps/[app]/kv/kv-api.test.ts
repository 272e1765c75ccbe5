// The key-value REST API through real HTTP on a fresh PostgreSQL database: set/get/list/increment/
// compare-and-set/bulk delete, quota and validation errors, and tenant B never reaching A's keys.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTwoTenants, type TwoTenants } from "@/lib/testing/two-tenants";
import { apiWithToken } from "@/lib/testing/console-client";
import { type TestDatabase } from "@/lib/testing/test-database";

let database: TestDatabase;
let bed: TwoTenants;
let alice: ReturnType<typeof apiWithToken>;
let bob: ReturnType<typeof apiWithToken>;
let aliceRead: ReturnType<typeof apiWithToken>;

const json = (method: string, body: unknown) => ({ method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const entry = (app: string, key: string) => `/api/v1/apps/${app}/kv/entry?key=${encodeURIComponent(key)}`;

beforeAll(async () => {
  bed = await startTwoTenants({ name: "kv-api", env: { KV_MAX_VALUE_BYTES: "64", KV_MAX_KEYS: "20" } });
  ({ database, alice, aliceRead, bob } = bed);
  for (const api of [alice, bob]) expect((await api("/api/v1/apps", json("POST", { name: "shop" }))).status).toBe(201);
}, 180_000);

afterAll(async () => {
  await bed?.stop();
});

it("sets, reads, lists in pages, increments, compare-and-sets and deletes keys", async () => {
  const set = await alice(entry("shop", "user/1 name"), json("PUT", { value: "Ada" }));
  expect(set.status).toBe(200);
  expect((await set.json()).entry).toMatchObject({ key: "user/1 name", value: "Ada", encoding: "utf8", size: 3, expiresAt: null });
  for (let i = 0; i < 5; i++) await alice(entry("shop", `item:${i}`), json("PUT", { value: Buffer.from([0, i]).toString("base64"), encoding: "base64", ttlSeconds: 3600 }));
  const raw = await alice(`${entry("shop", "item:3")}&raw=1`);
  expect(new Uint8Array(await raw.arrayBuffer())).toEqual(new Uint8Array([0, 3]));

  const first = await (await alice("/api/v1/apps/shop/kv?prefix=item:&limit=3")).json();
  expect(first.keys.map((k: { key: string }) => k.key)).toEqual(["item:0", "item:1", "item:2"]);
  const second = await (await alice(`/api/v1/apps/shop/kv?prefix=item:&limit=3&cursor=${first.nextCursor}`)).json();
  expect(second).toMatchObject({ keys: [{ key: "item:3" }, { key: "item:4" }], nextCursor: null });

  expect(await (await alice("/api/v1/apps/shop/kv/increment?key=hits", json("POST", { by: 2 }))).json()).toEqual({ key: "hits", value: "2" });
  expect((await alice("/api/v1/apps/shop/kv/cas?key=hits", json("POST", { expected: "1", value: "9" }))).status).toBe(409);
  expect((await alice("/api/v1/apps/shop/kv/cas?key=hits", json("POST", { expected: "2", value: "9" }))).status).toBe(204);

  const bulk = await alice("/api/v1/apps/shop/kv/delete-prefix", json("POST", { prefix: "item:" }));
  expect(await bulk.json()).toEqual({ deleted: 5 });
  expect((await alice(entry("shop", "user/1 name"), { method: "DELETE" })).status).toBe(204);
  expect((await alice(entry("shop", "user/1 name"))).status).toBe(404);
  expect((await (await alice("/api/v1/apps/shop/kv/usage")).json()).usage).toMatchObject({ keys: 1, quotas: { maxKeys: 20, maxValueBytes: 64 } });
});

it("explains quota and validation errors, and needs a deploy token to write", async () => {
  const big = await alice(entry("shop", "big"), json("PUT", { value: "x".repeat(65) }));
  expect(big.status).toBe(413);
  expect((await big.json()).error.message).toMatch(/65 bytes, over this app's limit of 64 bytes per value/);
  const bad = await alice(entry("shop", "a\nb"), json("PUT", { value: "v" }));
  expect(bad.status).toBe(422);
  expect((await bad.json()).error.message).toMatch(/^key: A key cannot contain a line break/);
  const all = await alice("/api/v1/apps/shop/kv/delete-prefix", json("POST", { prefix: "" }));
  expect(all.status).toBe(422);
  expect((await aliceRead(entry("shop", "x"), json("PUT", { value: "v" }))).status).toBe(403);
});

it("never lets tenant B reach tenant A's keys: a 404 everywhere, and B's own app is separate", async () => {
  await alice(entry("shop", "secret"), json("PUT", { value: "alice's" }));
  // Bob also has an app named "shop": his store is his own and empty.
  expect((await bob(entry("shop", "secret"))).status).toBe(404);
  expect((await (await bob("/api/v1/apps/shop/kv")).json()).keys).toEqual([]);
  expect((await bob(entry("shop", "secret"), { method: "DELETE" })).status).toBe(404);
  // An app he does not have: 404 on every kv route, whatever the body.
  for (const [method, url] of [
    ["GET", "/api/v1/apps/nope/kv"],
    ["GET", entry("nope", "secret")],
    ["PUT", entry("nope", "secret")],
    ["POST", "/api/v1/apps/nope/kv/increment?key=secret"],
    ["POST", "/api/v1/apps/nope/kv/delete-prefix"],
    ["GET", "/api/v1/apps/nope/kv/usage"],
  ] as const) {
    expect({ method, url, status: (await bob(url, { method })).status }).toEqual({ method, url, status: 404 });
  }
  expect((await (await alice(entry("shop", "secret"))).json()).entry.value).toBe("alice's");
});
