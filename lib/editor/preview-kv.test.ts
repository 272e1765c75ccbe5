// The preview's copy of production through the real REST API (platform on a fresh PostgreSQL):
// copying pages and values byte for byte, the key and byte caps, pushing only the preview's
// changes, and another tenant's app being a 404.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ConsoleClient, apiWithToken } from "@/lib/testing/console-client";
import { startPlatform, type Platform } from "@/lib/testing/platform";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { copyKvFromServer, diffKv, pushKvChanges, type ApiFetch, type KvEntries } from "./preview-kv";

let database: TestDatabase;
let platform: Platform;
let dataDir: string;
let alice: ApiFetch;
let bob: ApiFetch;

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));
const entry = (key: string) => `/apps/shop/kv/entry?key=${encodeURIComponent(key)}`;
const put = (value: string, encoding = "utf8") => ({ method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ value, encoding }) });

async function production(): Promise<Record<string, string>> {
  const { keys } = (await (await alice("/apps/shop/kv?limit=1000")).json()) as { keys: { key: string }[] };
  const out: Record<string, string> = {};
  for (const { key } of keys) out[key] = Buffer.from(await (await alice(`${entry(key)}&raw=1`)).arrayBuffer()).toString("base64");
  return out;
}

beforeAll(async () => {
  database = await createTestDatabase("postgres");
  dataDir = await mkdtemp(path.join(os.tmpdir(), "wc-preview-kv-"));
  platform = await startPlatform({ dataDir, databaseUrl: database.url });
  const token = async () => {
    const c = new ConsoleClient(platform.consoleUrl);
    await c.signUp();
    const api = apiWithToken(platform.consoleUrl, await c.createToken("deploy"));
    const fetcher: ApiFetch = (p, init) => api(`/api/v1${p}`, init);
    expect((await fetcher("/apps", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "shop" }) })).status).toBe(201);
    return fetcher;
  };
  alice = await token();
  bob = await token();
  for (let i = 0; i < 12; i++) expect((await alice(entry(`item:${String(i).padStart(2, "0")}`), put(`value ${i}`))).status).toBe(200);
  await alice(entry("bin/β key"), put(Buffer.from([0, 255, 1]).toString("base64"), "base64"));
  await alice(entry("hits"), put("41"));
}, 180_000);

afterAll(async () => {
  await platform?.stop();
  await database?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it("copies every key and value byte for byte, and the copy's changes never reach production by themselves", async () => {
  const before = await production();
  const copy = await copyKvFromServer({ appName: "shop", api: alice });
  expect(copy.truncated).toBeNull();
  expect(copy.serverKeys).toBe(14);
  expect(Object.keys(copy.base).sort()).toEqual(Object.keys(before).sort());
  expect([...copy.base["bin/β key"]!]).toEqual([0, 255, 1]);
  expect(str(copy.base["item:07"])).toBe("value 7");

  const current: KvEntries = { ...copy.base, hits: text("42"), added: text("new") };
  delete current["item:00"];
  expect(diffKv(copy.base, current)).toEqual({ set: ["added", "hits"], del: ["item:00"] });
  expect(await production()).toEqual(before);
});

it("caps the copy by keys and by bytes and says what was left out", async () => {
  const byKeys = await copyKvFromServer({ appName: "shop", api: alice, limits: { maxKeys: 5, maxBytes: 1 << 20 } });
  expect(Object.keys(byKeys.base)).toHaveLength(5);
  expect(byKeys.truncated).toMatch(/first 5 keys \(the preview's limit\); the rest are not in the preview/);
  // Keys sort in byte order: the copy is the first five.
  expect(Object.keys(byKeys.base).sort()).toEqual(["bin/β key", "hits", "item:00", "item:01", "item:02"]);
  const byBytes = await copyKvFromServer({ appName: "shop", api: alice, limits: { maxKeys: 1000, maxBytes: 40 } });
  expect(byBytes.truncated).toMatch(/the next would pass the preview's 40 B/);
  expect(Object.keys(byBytes.base).length).toBeGreaterThan(0);
  expect(Object.keys(byBytes.base).length).toBeLessThan(14);
});

it("pushes exactly the preview's changes: sets, deletes, and leaves every other key alone", async () => {
  const copy = await copyKvFromServer({ appName: "shop", api: alice, limits: { maxKeys: 5, maxBytes: 1 << 20 } });
  // Production moves on after the copy; keys the preview did not touch keep production's value.
  await alice(entry("item:01"), put("changed in production"));
  const current: KvEntries = { ...copy.base, hits: text("42"), "bin/β key": new Uint8Array([7]) };
  delete current["item:00"];
  const changes = diffKv(copy.base, current);
  expect(await pushKvChanges({ appName: "shop", current, changes, api: alice })).toEqual({ set: 2, deleted: 1 });
  const after = await production();
  expect(Buffer.from(after.hits!, "base64").toString()).toBe("42");
  expect([...Buffer.from(after["bin/β key"]!, "base64")]).toEqual([7]);
  expect(after["item:00"]).toBeUndefined();
  expect(Buffer.from(after["item:01"]!, "base64").toString()).toBe("changed in production");
  expect(Buffer.from(after["item:11"]!, "base64").toString()).toBe("value 11");
});

it("another tenant cannot copy or push to the app: 404, and nothing is written", async () => {
  const before = await production();
  await expect(copyKvFromServer({ appName: "shop", api: bob })).resolves.toMatchObject({ serverKeys: 0 });
  await expect(copyKvFromServer({ appName: "nope", api: bob })).rejects.toThrow(/Could not list the app's keys: App "nope" not found/);
  // Bob's own "shop" gets Bob's write; Alice's is unchanged.
  await pushKvChanges({ appName: "shop", current: { hits: text("1") }, changes: { set: ["hits"], del: ["item:02"] }, api: bob });
  expect(await production()).toEqual(before);
});
