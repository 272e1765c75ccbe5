// The datastore service on a real database, run once per kind by kv.{embedded,postgres}.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "@/lib/testing/test-database";
import { createKvAccess, type KvGateway } from "./create-kv-access";
import { deleteKvPrefix } from "./delete-kv-prefix";
import { deleteKvEntry } from "./delete-kv-entry";
import { findKvUsage } from "./find-kv-usage";
import { getKvEntry } from "./get-kv-entry";
import { incrementKvEntry } from "./increment-kv-entry";
import { compareAndSetKvEntry } from "./compare-and-set-kv-entry";
import { deleteExpiredEntries } from "./kv-entries";
import { prismaSql } from "./kv-sql";
import { listKvEntries } from "./list-kv-entries";
import { setKvEntry } from "./set-kv-entry";

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function kvSuite(kind: DatabaseKind): void {
  describe(`key-value datastore on ${kind}`, () => {
    let t: TestDatabase;
    let kv: KvGateway;
    const alice = { tenantId: "", appId: "" };
    const bob = { tenantId: "", appId: "" };
    const actorA = () => ({ tenantId: alice.tenantId });
    const actorB = () => ({ tenantId: bob.tenantId });

    beforeAll(async () => {
      t = await createTestDatabase(kind);
      for (const [who, name] of [[alice, "alice"], [bob, "bob"]] as const) {
        const tenant = await t.db.tenant.create({ data: { name } });
        const app = await t.db.app.create({ data: { tenantId: tenant.id, name: "shop" } });
        who.tenantId = tenant.id;
        who.appId = app.id;
      }
      // The API reads its quotas from the environment, like the console process does.
      Object.assign(process.env, { KV_MAX_KEYS: "50", KV_MAX_VALUE_BYTES: "1000", KV_MAX_TOTAL_BYTES: "20000" });
      kv = createKvAccess({ db: t.db, databaseUrl: t.url, quotas: { maxKeys: 50, maxValueBytes: 1000, maxTotalBytes: 20_000 }, usageMaxAgeMs: 0 });
    });
    afterAll(async () => {
      kv?.close();
      await t?.close();
    });

    it("buffers a request's writes until commit; reads see them first", async () => {
      const access = kv.forApp(alice);
      const s = access.open();
      await s.set("cart:1", text("apple"));
      await s.set("cart:2", text("pear"));
      expect(str(await s.get("cart:1"))).toBe("apple");
      expect((await s.list("cart:", undefined, 10)).keys).toEqual(["cart:1", "cart:2"]);
      // Another request does not see them yet.
      expect(await access.open().get("cart:1")).toBeNull();
      await s.commit();
      const next = access.open();
      expect(str(await next.get("cart:2"))).toBe("pear");
      expect(await next.delete("cart:2")).toBe(true);
      expect(await next.delete("cart:2")).toBe(false);
      expect(await next.get("cart:2")).toBeNull();
      expect((await next.list("cart:", undefined, 10)).keys).toEqual(["cart:1"]);
      await next.commit();
      expect((await listKvEntries({ actor: actorA(), appName: "shop", query: { prefix: "cart:" } })).keys.map((k) => k.key)).toEqual(["cart:1"]);
    });

    it("a discarded request leaves nothing, not even part of a multi-key write", async () => {
      const s = kv.forApp(alice).open();
      await s.set("a", text("1"));
      await s.set("b", text("2"));
      s.discard();
      expect(await kv.forApp(alice).open().get("a")).toBeNull();
      expect(await kv.forApp(alice).open().get("b")).toBeNull();
    });

    it("increments atomically under concurrency and compare-and-sets", async () => {
      const access = kv.forApp(alice);
      await Promise.all(Array.from({ length: 40 }, () => access.open().increment("hits", 1n)));
      expect(await access.open().increment("hits", 0n)).toBe(40n);
      const s = access.open();
      await s.set("hits", text("x"));
      await expect(kv.forApp(alice).open().increment("note", 1n)).resolves.toBe(1n);
      await s.commit();
      await expect(access.open().increment("hits", 1n)).rejects.toThrow(/not a decimal integer/);

      expect(await access.open().compareAndSet("lock", null, text("me"))).toBe(true);
      expect(await access.open().compareAndSet("lock", null, text("you"))).toBe(false);
      expect(await access.open().compareAndSet("lock", text("you"), text("x"))).toBe(false);
      expect(await access.open().compareAndSet("lock", text("me"), text("free"))).toBe(true);
      expect(str(await access.open().get("lock"))).toBe("free");
      // Same through the API; a mismatch is a 409.
      await expect(compareAndSetKvEntry({ actor: actorA(), appName: "shop", key: "lock", readInput: async () => ({ expected: "taken", value: "y" }) })).rejects.toMatchObject({ code: "CONFLICT" });
      expect(await incrementKvEntry({ actor: actorA(), appName: "shop", key: "api-hits", readInput: async () => ({ by: 5 }) })).toEqual({ key: "api-hits", value: "5" });
    });

    it("expires keys after their TTL, and the sweep removes them", async () => {
      const s = kv.forApp(alice).open();
      await s.set("session", text("token"), 1);
      await s.commit();
      expect(str(await kv.forApp(alice).open().get("session"))).toBe("token");
      expect((await getKvEntry({ actor: actorA(), appName: "shop", key: "session" })).expiresAt).not.toBeNull();
      await sleep(1200);
      expect(await kv.forApp(alice).open().get("session")).toBeNull();
      await expect(getKvEntry({ actor: actorA(), appName: "shop", key: "session" })).rejects.toMatchObject({ code: "NOT_FOUND" });
      // An expired counter starts again from 0.
      expect(await deleteExpiredEntries(prismaSql(t.db))).toBeGreaterThanOrEqual(1);
    });

    it("enforces quotas with messages that name the limit", async () => {
      const s = kv.forApp(bob).open();
      await expect(s.set("big", new Uint8Array(1001))).rejects.toThrow(/quota exceeded: the value of "big" is 1001 bytes, over the app's limit of 1000 bytes per value/);
      for (let i = 0; i < 50; i++) await s.set(`k${i}`, text("v"));
      await expect(s.set("k50", text("v"))).rejects.toThrow(/51 keys, over the app's limit of 50 keys/);
      // Overwriting an existing key is fine at the limit.
      await s.set("k1", text("w"));
      await s.commit();
      await expect(setKvEntry({ actor: actorB(), appName: "shop", key: "k50", readInput: async () => ({ value: "v" }) })).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
      await expect(kv.forApp(bob).open().increment("k51", 1n)).rejects.toThrow(/limit of 50 keys/);
      const usage = await findKvUsage({ actor: actorB(), appName: "shop" });
      expect(usage).toMatchObject({ keys: 50, warnings: [expect.stringMatching(/50 of 50 keys/)] });
      expect(await deleteKvPrefix({ actor: actorB(), appName: "shop", readInput: async () => ({ prefix: "k" }) })).toEqual({ deleted: 50 });
      await expect(deleteKvPrefix({ actor: actorB(), appName: "shop", readInput: async () => ({ prefix: "" }) })).rejects.toBeInstanceOf(AppError);
    });

    it("pages through keys with a cursor, by prefix, in byte order", async () => {
      const s = kv.forApp(bob).open();
      for (let i = 0; i < 25; i++) await s.set(`user:${String(i).padStart(2, "0")}`, text(String(i)));
      await s.set("user;", text("after the prefix"));
      await s.set("usea", text("before"));
      await s.set("ü:1", text("unicode"));
      await s.commit();
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listKvEntries({ actor: actorB(), appName: "shop", query: { prefix: "user:", limit: "10", cursor } });
        seen.push(...page.keys.map((k) => k.key));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `user:${String(i).padStart(2, "0")}`));
      expect((await listKvEntries({ actor: actorB(), appName: "shop", query: { prefix: "ü" } })).keys.map((k) => k.key)).toEqual(["ü:1"]);
      // A session's page merges its pending writes in order.
      const r = kv.forApp(bob).open();
      await r.set("user:05a", text("new"));
      await r.delete("user:03");
      const page = await r.list("user:", "user:01", 5);
      expect(page).toEqual({ keys: ["user:02", "user:04", "user:05", "user:05a", "user:06"], more: true });
      r.discard();
    });

    it("never lets one tenant reach another's keys", async () => {
      await setKvEntry({ actor: actorA(), appName: "shop", key: "secret", readInput: async () => ({ value: "alice's" }) });
      // Bob has an app with the same name: his "secret" is his own, absent.
      await expect(getKvEntry({ actor: actorB(), appName: "shop", key: "secret" })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(deleteKvEntry({ actor: actorB(), appName: "shop", key: "secret" })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(getKvEntry({ actor: actorB(), appName: "nope", key: "secret" })).rejects.toMatchObject({ code: "NOT_FOUND" });
      expect(await kv.forApp(bob).open().get("secret")).toBeNull();
      expect((await getKvEntry({ actor: actorA(), appName: "shop", key: "secret" })).value).toBe("alice's");
    });

    it("shows binary values as base64", async () => {
      await setKvEntry({ actor: actorA(), appName: "shop", key: "bin", readInput: async () => ({ value: Buffer.from([0, 255, 1]).toString("base64"), encoding: "base64" }) });
      expect(await getKvEntry({ actor: actorA(), appName: "shop", key: "bin" })).toMatchObject({ value: "AP8B", encoding: "base64", size: 3 });
    });
  });
}
