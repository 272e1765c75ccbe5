// Content-addressed bytes (modules and version files), kept apart from the metadata rows that
// point at them: a publish writes its blobs first, then commits its rows in a short transaction,
// so no big write ever holds a database transaction open. A blob no row refers to (a failed
// publish, a deleted app) is removed by sweepOrphanBlobs once it is older than a grace period.
//
// Where the bytes live (BLOB_DIR, see README):
// - files under a directory (the embedded default: DATA_DIR/blobs), written to a temporary name,
//   fsynced and renamed into place, so a crash never leaves a half-written blob;
// - the database's "Blob" table (PostgreSQL, several machines), the default when BLOB_DIR is unset.
import { sharedConfig } from "@/lib/config/shared-config";
import { createHash } from "node:crypto";
import { databaseUrl as processDatabaseUrl, db as processDb, type Db } from "@/lib/db/client";
import { createDatabaseBlobStore } from "./database-blob-store";
import { createFileBlobStore } from "./file-blob-store";

export interface BlobInput {
  sha256: string;
  data: Uint8Array;
}

export interface BlobStore {
  /** "files" or "database": where the bytes are (shown in logs and docs). */
  readonly kind: "files" | "database";
  /**
   * Stores each blob under its SHA-256 (the caller computed it). A blob that is already there is
   * kept and its age restarts, so a sweep running meanwhile cannot take it before the rows that
   * will refer to it are committed.
   */
  put(blobs: BlobInput[]): Promise<void>;
  read(sha256: string): Promise<Uint8Array | null>;
  /** The first `maxBytes` of a blob, without reading the rest. */
  readPrefix(sha256: string, maxBytes: number): Promise<Uint8Array | null>;
  readMany(hashes: string[]): Promise<Map<string, Uint8Array>>;
  /** Deletes blobs that no version or version file refers to and that are older than `graceMs`. */
  sweepOrphans(options: { graceMs: number }): Promise<number>;
  close(): Promise<void>;
}

/** How long an unreferenced blob is kept: far longer than any publish takes between put and commit. */
export const ORPHAN_GRACE_MS = 60 * 60 * 1000;

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The store for `db` (at `databaseUrl`) as configured by BLOB_DIR. */
export function createBlobStore({
  db,
  databaseUrl = processDatabaseUrl(),
  dir = sharedConfig().BLOB_DIR,
}: {
  db: Db;
  databaseUrl?: string;
  dir?: string;
}): BlobStore {
  if (dir) return createFileBlobStore({ db, dir });
  if (!databaseUrl) throw new Error("DATABASE_URL is not set: the database blob store needs it (or set BLOB_DIR)");
  return createDatabaseBlobStore({ db, databaseUrl });
}

const holder = globalThis as unknown as { __wasmcomputeBlobs?: { db: Db; store: BlobStore } };

/** The process's store, over the process's database client (console services). */
export function blobStore(): BlobStore {
  const current = processDb();
  if (holder.__wasmcomputeBlobs?.db !== current) {
    void holder.__wasmcomputeBlobs?.store.close();
    holder.__wasmcomputeBlobs = { db: current, store: createBlobStore({ db: current }) };
  }
  return holder.__wasmcomputeBlobs.store;
}

export async function readBlobOrThrow(store: BlobStore, sha256: string): Promise<Uint8Array> {
  const bytes = await store.read(sha256);
  if (!bytes) throw new Error(`blob ${sha256} is missing from the ${store.kind} blob store`);
  return bytes;
}

/** The hashes among `hashes` that some version (its module, or its component's upload) or version file refers to. */
export async function referencedHashes(db: Db, hashes: string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await db.$queryRaw<{ sha256: string }[]>`
    SELECT "moduleSha256" AS sha256 FROM "Version" WHERE "moduleSha256" = ANY(${hashes})
    UNION SELECT "sourceSha256" AS sha256 FROM "Version" WHERE "sourceSha256" = ANY(${hashes})
    UNION SELECT sha256 FROM "VersionFile" WHERE sha256 = ANY(${hashes})`;
  return new Set(rows.map((r) => r.sha256));
}

/** Sweeps orphan blobs now and then every `everyMs` (hourly); returns a stop function. */
export function scheduleBlobSweep({ store, everyMs = 3_600_000, warn = console.error }: { store: BlobStore; everyMs?: number; warn?: (m: string) => void }) {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      await store.sweepOrphans({ graceMs: ORPHAN_GRACE_MS });
    } catch (e) {
      warn(`[blob-sweep] removing unreferenced blobs failed: ${(e as Error).message}`);
    } finally {
      running = false;
    }
  };
  // Spread so several gateways do not all sweep at once.
  const first = setTimeout(run, 30_000 + Math.random() * 30_000);
  const timer = setInterval(run, everyMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
