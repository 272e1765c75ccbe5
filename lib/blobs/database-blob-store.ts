// Blobs in the database: a "Blob" row (size, age) over 1 MiB "BlobChunk" rows. Every process
// that reaches the database reaches them, and no statement moves more than a chunk, so a big
// module neither holds a transaction open nor stalls the process that writes or reads it.
// Chunks go through a plain `pg` pool: measured here, a 1 MiB bytea insert took ~350 ms through
// Prisma's raw query path and 20–50 ms through `pg`.
import pg from "pg";
import { dbTimeouts, type Db } from "@/lib/db/client";
import { referencedHashes, type BlobStore } from "./blob-store";

export const BLOB_CHUNK_BYTES = 1024 * 1024;

const NOW = `(now() AT TIME ZONE 'UTC')`;

export function createDatabaseBlobStore({ db, databaseUrl }: { db: Db; databaseUrl: string }): BlobStore {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2, query_timeout: dbTimeouts().queryMs, connectionTimeoutMillis: dbTimeouts().connectMs });
  // An idle client that loses its connection must not take the process down.
  pool.on("error", () => {});

  async function putOne(sha256: string, data: Uint8Array): Promise<void> {
    // Already complete: restart its age (a sweep skips it from now) and write nothing more.
    const touched = await db.$executeRawUnsafe(`UPDATE "Blob" SET "createdAt" = ${NOW} WHERE sha256 = $1`, sha256);
    if (touched > 0) return;
    for (let seq = 0, at = 0; at < data.byteLength || seq === 0; seq++, at += BLOB_CHUNK_BYTES) {
      const chunk = data.subarray(at, at + BLOB_CHUNK_BYTES);
      await pool.query(`INSERT INTO "BlobChunk" (sha256, seq, data) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [sha256, seq, Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)]);
    }
    // Last: a Blob row says that all of its chunks are there.
    await db.$executeRawUnsafe(
      `INSERT INTO "Blob" (sha256, size, "createdAt") VALUES ($1, $2, ${NOW}) ON CONFLICT (sha256) DO UPDATE SET "createdAt" = ${NOW}`,
      sha256,
      data.byteLength,
    );
  }

  async function readPrefix(sha256: string, maxBytes: number): Promise<Uint8Array | null> {
    const rows = await db.$queryRawUnsafe<{ size: number; legacy: boolean }[]>(`SELECT size, data IS NOT NULL AS legacy FROM "Blob" WHERE sha256 = $1`, sha256);
    const blob = rows[0];
    if (!blob) return null;
    const length = Math.min(blob.size, Math.max(0, Math.floor(maxBytes)));
    if (blob.legacy) {
      const legacy = await db.$queryRawUnsafe<{ data: Uint8Array }[]>(`SELECT substring(data from 1 for $2) AS data FROM "Blob" WHERE sha256 = $1`, sha256, length);
      return new Uint8Array(legacy[0]!.data);
    }
    // Filled one chunk at a time, each its own query: the process stays free for others between them.
    const out = new Uint8Array(length);
    for (let seq = 0; seq * BLOB_CHUNK_BYTES < length; seq++) {
      const { rows: chunk } = await pool.query<{ data: Buffer }>(`SELECT data FROM "BlobChunk" WHERE sha256 = $1 AND seq = $2`, [sha256, seq]);
      if (!chunk[0]) throw new Error(`blob ${sha256} lacks its chunk ${seq}`);
      out.set(chunk[0].data.subarray(0, length - seq * BLOB_CHUNK_BYTES), seq * BLOB_CHUNK_BYTES);
    }
    return out;
  }

  const read = (sha256: string) => readPrefix(sha256, Number.MAX_SAFE_INTEGER);

  return {
    kind: "database",
    async put(blobs) {
      const unique = new Map(blobs.map((b) => [b.sha256, b.data]));
      for (const [sha256, data] of unique) await putOne(sha256, data);
    },
    read,
    readPrefix,
    async readMany(hashes) {
      const found = new Map<string, Uint8Array>();
      for (const sha256 of new Set(hashes)) {
        const bytes = await read(sha256);
        if (bytes) found.set(sha256, bytes);
      }
      return found;
    },
    async sweepOrphans({ graceMs }) {
      const grace = `${NOW} - make_interval(secs => $1::float8)`;
      const candidates = await db.$queryRawUnsafe<{ sha256: string }[]>(`SELECT sha256 FROM "Blob" WHERE "createdAt" < ${grace}`, graceMs / 1000);
      const kept = await referencedHashes(
        db,
        candidates.map((c) => c.sha256),
      );
      const orphans = candidates.map((c) => c.sha256).filter((h) => !kept.has(h));
      if (orphans.length === 0) return 0;
      // One statement: the age and the references are checked again under the row locks, so a
      // put or a publish committed since the look-up keeps its blob.
      const rows = await db.$queryRawUnsafe<{ n: number }[]>(
        `WITH gone AS (
           DELETE FROM "Blob" b WHERE b.sha256 = ANY($2::text[]) AND b."createdAt" < ${grace}
             AND NOT EXISTS (SELECT 1 FROM "Version" v WHERE v."moduleSha256" = b.sha256)
             AND NOT EXISTS (SELECT 1 FROM "Version" v WHERE v."sourceSha256" = b.sha256)
             AND NOT EXISTS (SELECT 1 FROM "VersionFile" f WHERE f.sha256 = b.sha256)
           RETURNING b.sha256),
         chunks AS (DELETE FROM "BlobChunk" c WHERE c.sha256 IN (SELECT sha256 FROM gone))
         SELECT count(*)::int AS n FROM gone`,
        graceMs / 1000,
        orphans,
      );
      return Number(rows[0]?.n ?? 0);
    },
    close: () => pool.end(),
  };
}
