// The Datastores list's figures on both databases: live keys and key + value bytes per store and
// per app, expired entries left out, apps without a store listed empty, another tenant's unseen.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "@/lib/testing/test-database";
import { findDatastores } from "./find-datastores";

describe.each<DatabaseKind>(["postgres", "embedded"])("datastores on %s", (kind) => {
  let database: TestDatabase;
  let tenantId: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const d = database.db;
    tenantId = (await d.tenant.create({ data: { name: `d-${kind}` } })).id;
    const other = (await d.tenant.create({ data: { name: `d2-${kind}` } })).id;
    const shop = await d.app.create({ data: { tenantId, name: "shop" } });
    await d.app.create({ data: { tenantId, name: "blank" } });
    const foreign = await d.app.create({ data: { tenantId: other, name: "shop" } });
    const carts = await d.kvStore.create({ data: { tenantId, appId: shop.id, name: "carts" } });
    const def = await d.kvStore.create({ data: { tenantId, appId: shop.id, name: "default" } });
    const theirs = await d.kvStore.create({ data: { tenantId: other, appId: foreign.id, name: "default" } });
    const past = new Date(Date.now() - 3_600_000);
    const future = new Date(Date.now() + 3_600_000);
    await d.kvEntry.createMany({
      data: [
        { storeId: def.id, key: "greeting", value: Buffer.from("hello") }, // 8 + 5
        { storeId: def.id, key: "n", value: Buffer.from("42"), expiresAt: future }, // 1 + 2
        { storeId: def.id, key: "gone", value: Buffer.from("x".repeat(1000)), expiresAt: past },
        { storeId: carts.id, key: "cart:é", value: Buffer.alloc(2048) }, // 7 bytes of UTF-8 + 2048
        { storeId: theirs.id, key: "secret", value: Buffer.from("nope") },
      ],
    });
  }, 60_000);
  afterAll(() => database?.close());

  it("counts live keys and their bytes per store and per app", async () => {
    const { apps, quotas } = await findDatastores({ actor: { tenantId } });
    expect(apps).toEqual([
      { app: "blank", stores: [], keys: 0, bytes: 0 },
      {
        app: "shop",
        stores: [
          { name: "carts", keys: 1, bytes: 7 + 2048 },
          { name: "default", keys: 2, bytes: 13 + 3 },
        ],
        keys: 3,
        bytes: 7 + 2048 + 16,
      },
    ]);
    expect(quotas.maxKeys).toBeGreaterThan(0);
  });
});
