// Both blob stores against real databases: the file store (the embedded default) and the
// database store (chunks in PostgreSQL), with the same expectations.
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm, stat, utimes } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "@/lib/apps/create-app";
import type { Actor } from "@/lib/auth/actor";
import { signUp } from "@/lib/tenants/sign-up";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "@/lib/testing/test-database";
import { sha256Hex, type BlobStore } from "./blob-store";
import { BLOB_CHUNK_BYTES, createDatabaseBlobStore } from "./database-blob-store";
import { createFileBlobStore } from "./file-blob-store";
import { moveBlobsToFiles } from "./move-blobs-to-files";

const blob = (size: number) => {
  const data = new Uint8Array(randomBytes(size));
  return { sha256: sha256Hex(data), data };
};

/** Bytes compared by length and hash (vitest's deep equality walks a Uint8Array element by element: seconds per MiB). */
const bytesOf = (b: Uint8Array | null) => (b ? `${b.byteLength} bytes, sha256 ${sha256Hex(b)}` : null);

const cases: { name: string; database: DatabaseKind; files: boolean }[] = [
  { name: "files (embedded database)", database: "embedded", files: true },
  { name: "database (PostgreSQL)", database: "postgres", files: false },
];

for (const { name, database, files } of cases) {
  describe(`blob store: ${name}`, () => {
    let t: TestDatabase;
    let dir: string;
    let store: BlobStore;
    let actor: Actor;

    /** Makes `sha256` referenced by a version, as a publish would. */
    async function reference(sha256: string, version: string) {
      const app = await t.db.app.findFirstOrThrow({ where: { tenantId: actor.tenantId } });
      await t.db.version.create({
        data: { tenantId: actor.tenantId, appId: app.id, version, moduleSha256: sha256, moduleSize: 1, manifest: {}, manifestSha256: "-", filesSha256: "-", datastoresSha256: "-" },
      });
    }

    /** Ages a blob past any grace period. */
    async function age(sha256: string) {
      const old = new Date(Date.now() - 2 * 3600_000);
      if (files) await utimes(path.join(dir, sha256.slice(0, 2), sha256), old, old);
      else await t.db.blob.update({ where: { sha256 }, data: { createdAt: old } });
    }

    beforeAll(async () => {
      t = await createTestDatabase(database);
      dir = await mkdtemp(path.join(os.tmpdir(), "wc-blobs-"));
      store = files ? createFileBlobStore({ db: t.db, dir }) : createDatabaseBlobStore({ db: t.db, databaseUrl: t.url });
      const a = await signUp({ email: `blobs-${database}@example.com`, password: "correct horse battery", tenant: `blobs-${database}` });
      actor = { tenantId: a.tenantId, tenantName: a.tenantName, userId: a.userId, scope: "admin" };
      await createApp({ actor, input: { name: "app" } });
    }, 120_000);

    afterAll(async () => {
      await store?.close();
      await t?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it("reads back what it stored: whole, a prefix, several at once, empty and multi-chunk blobs", async () => {
      const small = blob(100);
      const big = blob(2 * BLOB_CHUNK_BYTES + 12_345);
      const empty = blob(0);
      await store.put([small, big, empty, small]);
      expect(bytesOf(await store.read(small.sha256))).toBe(bytesOf(small.data));
      expect(bytesOf(await store.read(big.sha256))).toBe(bytesOf(big.data));
      expect(bytesOf(await store.read(empty.sha256))).toBe(bytesOf(empty.data));
      expect(bytesOf(await store.readPrefix(big.sha256, BLOB_CHUNK_BYTES + 7))).toBe(bytesOf(big.data.subarray(0, BLOB_CHUNK_BYTES + 7)));
      expect(bytesOf(await store.readPrefix(small.sha256, 1000))).toBe(bytesOf(small.data));
      expect(await store.read("0".repeat(64))).toBeNull();
      const many = await store.readMany([small.sha256, big.sha256, "f".repeat(64)]);
      expect([...many.keys()].sort()).toEqual([small.sha256, big.sha256].sort());
      if (files) expect((await readdir(path.join(dir, ".tmp"))).length).toBe(0);
    });

    it("sweeps only unreferenced blobs past the grace period; a put restarts a blob's age", async () => {
      const kept = blob(10);
      const orphan = blob(BLOB_CHUNK_BYTES + 1);
      const fresh = blob(30);
      const retouched = blob(40);
      await store.put([kept, orphan, fresh, retouched]);
      await reference(kept.sha256, "1.0.0");
      await Promise.all([kept, orphan, retouched].map((b) => age(b.sha256)));
      // Put again, as a publish of the same bytes would: the blob is young again.
      await store.put([retouched]);

      const removed = await store.sweepOrphans({ graceMs: 3600_000 });
      expect(removed).toBeGreaterThanOrEqual(1);
      expect(await store.read(orphan.sha256)).toBeNull();
      expect(bytesOf(await store.read(kept.sha256))).toBe(bytesOf(kept.data));
      expect(bytesOf(await store.read(fresh.sha256))).toBe(bytesOf(fresh.data));
      expect(bytesOf(await store.read(retouched.sha256))).toBe(bytesOf(retouched.data));
      if (!files) expect(await t.db.blobChunk.count({ where: { sha256: orphan.sha256 } })).toBe(0);
      // The swept bytes can be stored again.
      await store.put([orphan]);
      expect(bytesOf(await store.read(orphan.sha256))).toBe(bytesOf(orphan.data));
    });

    it("refuses a hash that is not one before it touches a path", async () => {
      if (files) await expect(store.read("../../etc/passwd")).rejects.toThrow(/not a SHA-256/);
      else expect(await store.read("../../etc/passwd")).toBeNull();
    });
  });
}

describe("blob store: moving an older platform's database blobs to files", () => {
  let t: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    t = await createTestDatabase("embedded");
    dir = await mkdtemp(path.join(os.tmpdir(), "wc-blobs-move-"));
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("moves blobs an older platform kept in the database to files, once", async () => {
    const legacy = blob(5000);
    await t.db.blob.create({ data: { sha256: legacy.sha256, size: legacy.data.byteLength, data: Buffer.from(legacy.data) } });
    const chunked = blob(BLOB_CHUNK_BYTES + 3);
    const database = createDatabaseBlobStore({ db: t.db, databaseUrl: t.url });
    await database.put([chunked]);
    await database.close();
    expect(await moveBlobsToFiles({ db: t.db, databaseUrl: t.url, dir })).toBe(2);
    expect(await t.db.blob.count()).toBe(0);
    expect(await t.db.blobChunk.count()).toBe(0);
    const files = createFileBlobStore({ db: t.db, dir });
    expect(bytesOf(await files.read(legacy.sha256))).toBe(bytesOf(legacy.data));
    expect(bytesOf(await files.read(chunked.sha256))).toBe(bytesOf(chunked.data));
    expect((await stat(path.join(dir, legacy.sha256.slice(0, 2), legacy.sha256))).mode & 0o777).toBe(0o600);
    expect(await moveBlobsToFiles({ db: t.db, databaseUrl: t.url, dir })).toBe(0);
  });
});
