// The guest SDKs (sdk/c, sdk/rust, sdk/assemblyscript) through the real gateway and worker pool on
// PostgreSQL: each one's example app (the same routes in three languages, see
// sdk/c/examples/kv-counter.c) counts without losing an update, round-trips get/set/list/delete,
// pages through more keys than one host call returns, maps CAS/increment conflicts and shows a
// quota error to the guest.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpActor } from "@/lib/testing/actors";
import { listenOnLoopback } from "@/lib/testing/listen";
import type { Actor } from "@/lib/auth/actor";
import { createApp } from "@/lib/apps/create-app";
import { deployVersion } from "@/lib/deployments/deploy-version";
import { createLiveDeployments, type LiveDeployments } from "@/lib/deployments/live-deployments";
import { createGateway, type Gateway } from "@/lib/runtime/gateway";
import type { RequestLog } from "@/lib/deployment-record/ports";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { publishVersion } from "@/lib/versions/publish-version";
import { createKvAccess, type KvGateway } from "./create-kv-access";
import { findKvStore } from "./find-kv-store";
import { getKvEntry } from "./get-kv-entry";
import { listKvEntries } from "./list-kv-entries";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";

const ROOT = path.resolve(import.meta.dirname, "../..");
const fixture = async (name: string) => new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm", `${name}.wasm`)));

let database: TestDatabase;
let kv: KvGateway;
let live: LiveDeployments;
let gateway: Gateway;
let base: string;
let actor: Actor;
const logs: RequestLog[] = [];

beforeAll(async () => {
  database = await createTestDatabase("postgres");
  const quotas = { maxKeys: 10_000, maxValueBytes: 1024, maxTotalBytes: 1024 * 1024 };
  kv = createKvAccess({ db: database.db, databaseUrl: database.url, quotas });
  live = createLiveDeployments({ db: database.db, kv, pollMs: 100 });
  gateway = await createGateway({ resolve: live.resolve, poolOptions: { size: 2 }, onLog: (r) => logs.push(r) });
  base = await listenOnLoopback(gateway.server);
  actor = await signUpActor("sdk");
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  live?.close();
  kv?.close();
  await database?.close();
});

describe.each([
  { sdk: "C", app: "counter-c", module: "kv-counter-c-sdk" },
  { sdk: "Rust", app: "counter-rust", module: "kv-counter-rust" },
  { sdk: "AssemblyScript", app: "counter-as", module: "kv-counter-as" },
])("the $sdk SDK", ({ app, module }) => {
  const call = async (route: string, init: RequestInit = {}) => {
    const res = await fetchApp(appUrl(base, actor.tenantName, app, route), init);
    return { status: res.status, body: await res.text() };
  };
  const put = (route: string, body: string) => call(route, { method: "PUT", body });

  beforeAll(async () => {
    await createApp({ actor, input: { name: app } });
    await publishVersion({ actor, appName: app, input: { version: "1.0.0", module: await fixture(module), files: [] } });
    await deployVersion({ actor, appName: app, input: { version: "1.0.0" } });
    await live.refresh();
  }, 60_000);

  it("counts 50 concurrent requests to exactly 50", async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => call("/count")));
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    // Every request got its own value: 1..50, no increment lost or merged.
    expect(answers.map((a) => Number(a.body)).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect((await getKvEntry({ actor, appName: app, key: "hits" })).value).toBe("50");
    // Each request also wrote "last" with a TTL: a key that expires.
    const last = (await listKvEntries({ actor, appName: app, query: { prefix: "last" } })).keys;
    expect(last).toEqual([expect.objectContaining({ key: "last", expiresAt: expect.any(String) })]);
  });

  it("round-trips set, get, list and delete", async () => {
    expect(await put("/set/user:1", "Ada")).toEqual({ status: 200, body: "ok\n" });
    expect(await put("/set/user:2", "Grace")).toEqual({ status: 200, body: "ok\n" });
    expect(await put("/set/other", "x")).toEqual({ status: 200, body: "ok\n" });
    expect(await call("/get/user:1")).toEqual({ status: 200, body: "Ada" });
    expect((await getKvEntry({ actor, appName: app, key: "user:2" })).value).toBe("Grace");
    expect(await call("/list/user:")).toEqual({ status: 200, body: "user:1\nuser:2\n" });
    expect(await call("/del/user:1")).toEqual({ status: 200, body: "deleted\n" });
    expect((await call("/get/user:1")).status).toBe(404);
    expect((await call("/del/user:1")).status).toBe(404);
    expect(await call("/list/user:")).toEqual({ status: 200, body: "user:2\n" });
  });

  it("lists more keys than one host call returns, page by page, in byte order", async () => {
    const store = await findKvStore({ actor, appName: app });
    await database.db.$executeRawUnsafe(
      `INSERT INTO "KvEntry" ("storeId", key, value) SELECT $1::uuid, 'page:' || lpad(i::text, 4, '0'), convert_to(i::text, 'UTF8') FROM generate_series(1, 2345) i`,
      store.id,
    );
    const res = await call("/list/page:");
    expect(res.status).toBe(200);
    const keys = res.body.split("\n").slice(0, -1);
    expect(keys).toHaveLength(2345);
    expect(keys[0]).toBe("page:0001");
    expect(keys.at(-1)).toBe("page:2345");
    expect(new Set(keys).size).toBe(2345);
  });

  it("reads a value larger than the SDK's first buffer", async () => {
    const big = "z".repeat(1000);
    expect((await put("/set/big-but-allowed", big)).status).toBe(200);
    expect(await call("/get/big-but-allowed")).toEqual({ status: 200, body: big });
  });

  it("maps conflicts: incr on text, and compare-and-set", async () => {
    expect(await call("/incr/other")).toMatchObject({ status: 409 });
    expect(await put("/cas/lock", "v1")).toEqual({ status: 200, body: "written\n" });
    expect((await put("/cas/lock", "v1")).status).toBe(409);
    expect((await put("/cas/lock?expected=nope", "v2")).status).toBe(409);
    expect(await put("/cas/lock?expected=v1", "v2")).toEqual({ status: 200, body: "written\n" });
    expect((await getKvEntry({ actor, appName: app, key: "lock" })).value).toBe("v2");
  });

  it("expires a value set with a TTL", async () => {
    expect((await put("/set/short?ttl=1", "soon gone")).status).toBe(200);
    expect(await call("/get/short")).toEqual({ status: 200, body: "soon gone" });
    await new Promise((r) => setTimeout(r, 1200));
    expect((await call("/get/short")).status).toBe(404);
  });

  it("shows a quota error to the guest (-4) and explains it in the app's logs", async () => {
    logs.length = 0;
    const res = await put("/set/too-big", "y".repeat(2048));
    expect(res.status).toBe(500);
    expect(res.body).toMatch(/^error -4\b/);
    const record = logs.find((l) => l.app === app);
    expect(record?.guestLogs).toContainEqual({ level: "error", message: expect.stringMatching(/quota exceeded: the value of "too-big" is 2048 bytes, over the app's limit of 1024 bytes per value/) });
    expect((await call("/get/too-big")).status).toBe(404);
  });

  it("counts every kv call in the request log (kvOps)", async () => {
    logs.length = 0;
    await call("/count"); // kv_incr + kv_set_ttl
    await call("/get/user:2"); // kv_get
    await call("/list/user:"); // kv_list_page twice: the page, then the empty page after it
    expect(logs.map((l) => l.kvOps)).toEqual([2, 1, 2]);
  });
});
