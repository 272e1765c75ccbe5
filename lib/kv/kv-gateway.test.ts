// The datastore through the real gateway and worker pool, on a fresh PostgreSQL database: guests
// reach their app's store over the kv bridge; counters lose no update under concurrency; a guest
// that traps leaves nothing; TTLs expire; quotas reach the guest; tenants never meet.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listenOnLoopback } from "@/lib/testing/listen";
import type { Actor } from "@/lib/auth/actor";
import { createApp } from "@/lib/apps/create-app";
import { deployVersion } from "@/lib/deployments/deploy-version";
import { createLiveDeployments, type LiveDeployments } from "@/lib/deployments/live-deployments";
import { createGateway, type Gateway } from "@/lib/runtime/gateway";
import type { RequestLog } from "@/lib/deployment-record/ports";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { signUp } from "@/lib/tenants/sign-up";
import { publishVersion } from "@/lib/versions/publish-version";
import { createKvAccess, type KvGateway } from "./create-kv-access";
import { getKvEntry } from "./get-kv-entry";
import { listKvEntries } from "./list-kv-entries";
import { setKvEntry } from "./set-kv-entry";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";

const ROOT = path.resolve(import.meta.dirname, "../..");
const fixture = async (name: string) => new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm", `${name}.wasm`)));

let database: TestDatabase;
let kv: KvGateway;
let live: LiveDeployments;
let gateway: Gateway;
let base: string;
let alice: Actor;
let bob: Actor;
const logs: RequestLog[] = [];

async function deploy(actor: Actor, app: string, module: string) {
  await createApp({ actor, input: { name: app } });
  await publishVersion({ actor, appName: app, input: { version: "1.0.0", module: await fixture(module), files: [] } });
  await deployVersion({ actor, appName: app, input: { version: "1.0.0" } });
  await live.refresh();
}

const get = async (actor: Actor, app: string) => {
  const res = await fetchApp(appUrl(base, actor.tenantName, app));
  return { status: res.status, body: await res.text() };
};

beforeAll(async () => {
  database = await createTestDatabase("postgres");
  const quotas = { maxKeys: 1000, maxValueBytes: 1024, maxTotalBytes: 1024 * 1024 };
  Object.assign(process.env, { KV_MAX_KEYS: "1000", KV_MAX_VALUE_BYTES: "1024", KV_MAX_TOTAL_BYTES: String(1024 * 1024) });
  kv = createKvAccess({ db: database.db, databaseUrl: database.url, quotas });
  live = createLiveDeployments({ db: database.db, kv, pollMs: 100 });
  gateway = await createGateway({ resolve: live.resolve, poolOptions: { size: 2 }, onLog: (r) => logs.push(r) });
  base = await listenOnLoopback(gateway.server);
  const a = await signUp({ email: "alice@example.com", password: "correct horse battery", tenant: "alice" });
  const b = await signUp({ email: "bob@example.com", password: "correct horse battery", tenant: "bob" });
  alice = { tenantId: a.tenantId, tenantName: a.tenantName, userId: a.userId, scope: "admin" };
  bob = { tenantId: b.tenantId, tenantName: b.tenantName, userId: b.userId, scope: "admin" };
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  live?.close();
  kv?.close();
  await database?.close();
});

describe("key-value store through the gateway", () => {
  it("a counter under 200 concurrent requests ends at exactly 200", async () => {
    await deploy(alice, "counter", "kv-counter");
    const answers = await Promise.all(Array.from({ length: 200 }, () => get(alice, "counter")));
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    // Every request saw a distinct value: no two increments were merged.
    expect(new Set(answers.map((a) => a.body.trim())).size).toBe(200);
    expect((await getKvEntry({ actor: alice, appName: "counter", key: "hits" })).value).toBe("200");
  });

  it("a guest that writes two keys then traps leaves neither", async () => {
    await deploy(alice, "trapper", "kv-write-trap");
    const res = await get(alice, "trapper");
    expect(res.status).toBe(502);
    expect(JSON.parse(res.body).error.code).toBe("guest-trap");
    expect((await listKvEntries({ actor: alice, appName: "trapper", query: {} })).keys).toEqual([]);
  });

  it("reads what the API wrote, until its TTL runs out", async () => {
    await deploy(alice, "reader", "kv-read");
    expect(await get(alice, "reader")).toEqual({ status: 200, body: "missing" });
    await setKvEntry({ actor: alice, appName: "reader", key: "greeting", readInput: async () => ({ value: "hello from kv", ttlSeconds: 1 }) });
    expect(await get(alice, "reader")).toEqual({ status: 200, body: "hello from kv" });
    await new Promise((r) => setTimeout(r, 1200));
    expect(await get(alice, "reader")).toEqual({ status: 200, body: "missing" });
  });

  it("shows a quota error to the guest and explains it in the app's logs", async () => {
    await deploy(alice, "quota", "kv-quota");
    logs.length = 0;
    // 2048 bytes against a 1024-byte value quota: kv_set returns -4 (HOST_ERROR).
    expect(await get(alice, "quota")).toEqual({ status: 200, body: "rc=-4" });
    const record = logs.find((l) => l.app === "quota");
    expect(record?.guestLogs).toEqual([{ level: "error", message: expect.stringMatching(/kv: quota exceeded: the value of "big" is 2048 bytes, over the app's limit of 1024 bytes per value/) }]);
    expect((await listKvEntries({ actor: alice, appName: "quota", query: {} })).keys).toEqual([]);
  });

  it("gives each app its own store: another tenant's guest never sees it", async () => {
    await setKvEntry({ actor: alice, appName: "reader", key: "greeting", readInput: async () => ({ value: "alice's greeting" }) });
    await deploy(bob, "reader", "kv-read");
    expect(await get(alice, "reader")).toEqual({ status: 200, body: "alice's greeting" });
    expect(await get(bob, "reader")).toEqual({ status: 200, body: "missing" });
  });
});
