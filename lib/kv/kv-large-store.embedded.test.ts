// The console's key browser at 100,000 keys, on the embedded database (PGlite, the slowest one):
// keys seeded through lib/kv's write path, every page fetched through the service the API and
// console call, and each page a range scan of the primary key, never a scan of the store (once
// the table has statistics: see analyzeEntriesIfStale).
import { afterAll, beforeAll, expect, it } from "vitest";
import { signUpActor } from "@/lib/testing/actors";
import type { Actor } from "@/lib/auth/actor";
import { createApp } from "@/lib/apps/create-app";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { analyzeEntriesIfStale, applyWrites, listKeys, type KvWrite } from "./kv-entries";
import { apiSql, type KvSql } from "./kv-sql";
import { deleteKvPrefix } from "./delete-kv-prefix";
import { findKvStore } from "./find-kv-store";
import { findKvUsage } from "./find-kv-usage";
import { listKvEntries } from "./list-kv-entries";
import { encodeCursor } from "./kv-schemas";

const KEYS = 100_000;
const key = (i: number) => `user:${String(i).padStart(6, "0")}`;

let database: TestDatabase;
let actor: Actor;
let storeId: string;

beforeAll(async () => {
  database = await createTestDatabase("embedded");
  actor = await signUpActor("big");
  await createApp({ actor, input: { name: "big" } });
  storeId = (await findKvStore({ actor, appName: "big" })).id;
  // Seeded through the statement every guest request's commit uses, 5,000 keys per batch.
  const value = new TextEncoder().encode(JSON.stringify({ name: "someone", visits: 1 }));
  for (let from = 0; from < KEYS; from += 5000) {
    const writes: KvWrite[] = Array.from({ length: 5000 }, (_, j) => ({ key: key(from + j), value }));
    await applyWrites(apiSql(), storeId, writes);
  }
  // What every gateway's minute sweep does (the embedded database has no autovacuum).
  expect(await analyzeEntriesIfStale(apiSql())).toBe(true);
  expect(await analyzeEntriesIfStale(apiSql())).toBe(false);
}, 600_000);

afterAll(() => database?.close());

it("pages through all 100,000 keys with the API's cursors, in order, none twice", async () => {
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await listKvEntries({ actor, appName: "big", query: { limit: "1000", ...(cursor ? { cursor } : {}) } });
    for (const k of page.keys) seen.push(k.key);
    cursor = page.nextCursor ?? undefined;
    pages++;
  } while (cursor);
  expect(pages).toBe(KEYS / 1000);
  expect(seen).toHaveLength(KEYS);
  expect(seen[0]).toBe(key(0));
  expect(seen.at(-1)).toBe(key(KEYS - 1));
  expect(seen.every((k, i) => i === 0 || seen[i - 1]! < k)).toBe(true);
}, 600_000);

it("finds a prefix deep in the store, and counts usage", async () => {
  const page = await listKvEntries({ actor, appName: "big", query: { prefix: "user:0987", limit: "50" } });
  expect(page.keys.map((k) => k.key)).toEqual(Array.from({ length: 50 }, (_, i) => key(98_700 + i)));
  expect(page.nextCursor).not.toBeNull();
  const usage = await findKvUsage({ actor, appName: "big" });
  expect(usage.keys).toBe(KEYS);
});

it("answers every page with a range scan of the primary key", async () => {
  // The exact statements the service runs, captured and explained on the same database.
  const captured: { text: string; values: unknown[] }[] = [];
  const spy: KvSql = { query: (text, values) => (captured.push({ text, values }), apiSql().query(text, values)) };
  await listKeys(spy, storeId, { prefix: "", limit: 101 });
  await listKeys(spy, storeId, { prefix: "", after: key(54_321), limit: 101 });
  await listKeys(spy, storeId, { prefix: "user:0500", limit: 51 });
  await listKeys(spy, storeId, { prefix: "user:", after: key(77_777), limit: 1001 });
  expect(captured).toHaveLength(4);
  for (const { text, values } of captured) {
    const plan = (await apiSql().query<{ "QUERY PLAN": string }>(`EXPLAIN ${text}`, values)).map((r) => r["QUERY PLAN"]).join("\n");
    expect(plan, plan).toMatch(/Index Scan using "KvEntry_pkey" on "KvEntry"/);
    expect(plan, plan).not.toMatch(/Seq Scan|Sort/);
  }
});

it("deletes 10,000 keys by prefix and pages on", async () => {
  const deleted = await deleteKvPrefix({ actor, appName: "big", readInput: async () => ({ prefix: "user:01" }) });
  expect(deleted).toMatchObject({ deleted: 10_000 });
  const page = await listKvEntries({ actor, appName: "big", query: { prefix: "user:0", limit: "3" } });
  expect(page.keys.map((k) => k.key)).toEqual([key(0), key(1), key(2)]);
  const next = await listKvEntries({ actor, appName: "big", query: { prefix: "user:0", limit: "1", cursor: page.nextCursor! } });
  expect(next.keys.map((k) => k.key)).toEqual([key(3)]);
  // The page that crosses the deleted range skips it.
  const across = await listKvEntries({ actor, appName: "big", query: { prefix: "user:0", limit: "2", cursor: encodeCursor(key(9_999)) } });
  expect(across.keys.map((k) => k.key)).toEqual([key(20_000), key(20_001)]);
  const around = await listKvEntries({ actor, appName: "big", query: { prefix: "user:00999", limit: "20" } });
  expect(around.keys.map((k) => k.key)).toHaveLength(10);
  const gap = await listKvEntries({ actor, appName: "big", query: { prefix: "user:01", limit: "5" } });
  expect(gap.keys).toEqual([]);
  expect((await findKvUsage({ actor, appName: "big" })).keys).toBe(KEYS - 10_000);
});
