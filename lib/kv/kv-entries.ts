// The datastore's SQL, one function per statement, over a store id the caller has already
// scoped to a tenant and app (lib/kv/find-kv-store.ts for the API, the deployment for the
// gateway). Expired entries are invisible to every read; a sweep deletes them later.
//
// Timestamps are `timestamp(3)` holding the UTC wall clock (what Prisma stores), so "now" is
// always `now() AT TIME ZONE 'UTC'`, whatever the session's time zone.
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { prefixUpperBound } from "./kv-schemas";

/** A Prisma client or the transaction client inside $transaction. */
export type KvDb = Pick<Db, "$queryRaw" | "$executeRaw" | "$queryRawUnsafe" | "$executeRawUnsafe">;

const NOW = Prisma.sql`(now() AT TIME ZONE 'UTC')`;
const LIVE = Prisma.sql`("expiresAt" IS NULL OR "expiresAt" > ${NOW})`;

export interface KvEntryRow {
  key: string;
  value: Uint8Array;
  expiresAt: Date | null;
  updatedAt: Date;
}

export interface KvKeyRow {
  key: string;
  size: number;
  expiresAt: Date | null;
  updatedAt: Date;
}

/** One buffered write of a request: a value (with an optional TTL) or a deletion. */
export type KvWrite = { key: string; value: Uint8Array; ttlSeconds?: number } | { key: string; delete: true };

export async function readEntry(db: KvDb, storeId: string, key: string): Promise<KvEntryRow | null> {
  const rows = await db.$queryRaw<KvEntryRow[]>`SELECT key, value, "expiresAt", "updatedAt" FROM "KvEntry"
    WHERE "storeId" = ${storeId}::uuid AND key = ${key} AND ${LIVE}`;
  const row = rows[0];
  return row ? { ...row, value: new Uint8Array(row.value) } : null;
}

/** Sizes (key + value bytes) of the live keys among `keys`. */
export async function readSizes(db: KvDb, storeId: string, keys: string[]): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const rows = await db.$queryRaw<{ key: string; size: number }[]>`SELECT key, (octet_length(key) + octet_length(value))::int AS size
    FROM "KvEntry" WHERE "storeId" = ${storeId}::uuid AND key = ANY(${keys}::text[]) AND ${LIVE}`;
  return new Map(rows.map((r) => [r.key, Number(r.size)]));
}

/** A page of live keys starting with `prefix`, strictly after `after`, in byte order. */
export async function listKeys(
  db: KvDb,
  storeId: string,
  { prefix, after, limit }: { prefix: string; after?: string; limit: number },
): Promise<KvKeyRow[]> {
  const conditions = [Prisma.sql`"storeId" = ${storeId}::uuid`, LIVE];
  // A range on the primary key (storeId, key): pages stay cheap however many keys the store has.
  const lower = after !== undefined && after >= prefix ? after : undefined;
  if (lower !== undefined) conditions.push(Prisma.sql`key > ${lower}`);
  else if (prefix) conditions.push(Prisma.sql`key >= ${prefix}`);
  const upper = prefix ? prefixUpperBound(prefix) : null;
  if (upper !== null) conditions.push(Prisma.sql`key < ${upper}`);
  const rows = await db.$queryRaw<KvKeyRow[]>`SELECT key, octet_length(value)::int AS size, "expiresAt", "updatedAt"
    FROM "KvEntry" WHERE ${Prisma.join(conditions, " AND ")} ORDER BY key LIMIT ${limit}`;
  return rows.map((r) => ({ ...r, size: Number(r.size) }));
}

/** Live keys and bytes (keys + values) over every store of an app. */
export async function readAppUsage(db: KvDb, appId: string): Promise<{ keys: number; bytes: number }> {
  const rows = await db.$queryRaw<{ keys: number; bytes: bigint | number }[]>`SELECT count(*)::int AS keys,
      coalesce(sum(octet_length(e.key) + octet_length(e.value)), 0)::bigint AS bytes
    FROM "KvEntry" e JOIN "KvStore" s ON s.id = e."storeId"
    WHERE s."appId" = ${appId}::uuid AND (e."expiresAt" IS NULL OR e."expiresAt" > ${NOW})`;
  return { keys: Number(rows[0]?.keys ?? 0), bytes: Number(rows[0]?.bytes ?? 0) };
}

/**
 * Applies a request's writes in one statement (so in one transaction by itself): upserts and
 * deletions together or not at all. The last write of a key wins; callers pass one per key.
 */
export async function applyWrites(db: KvDb, storeId: string, writes: KvWrite[]): Promise<void> {
  if (writes.length === 0) return;
  const sets = writes.flatMap((w) =>
    "delete" in w ? [] : [{ k: w.key, v: Buffer.from(w.value).toString("base64"), t: w.ttlSeconds ?? null }],
  );
  const deletes = writes.flatMap((w) => ("delete" in w ? [w.key] : []));
  await db.$executeRawUnsafe(
    `WITH input AS (
       SELECT * FROM json_to_recordset($2::json) AS t(k text, v text, t int)
     ), upserted AS (
       INSERT INTO "KvEntry" ("storeId", key, value, "expiresAt", "updatedAt")
       SELECT $1::uuid, k, decode(v, 'base64'),
              CASE WHEN t IS NULL THEN NULL ELSE (now() AT TIME ZONE 'UTC') + make_interval(secs => t) END,
              (now() AT TIME ZONE 'UTC')
       FROM input
       -- One lock order for every writer, so two requests writing the same keys never deadlock.
       ORDER BY k
       ON CONFLICT ("storeId", key) DO UPDATE SET value = EXCLUDED.value, "expiresAt" = EXCLUDED."expiresAt", "updatedAt" = EXCLUDED."updatedAt"
       RETURNING 1
     )
     DELETE FROM "KvEntry" WHERE "storeId" = $1::uuid AND key = ANY($3::text[])`,
    storeId,
    JSON.stringify(sets),
    deletes,
  );
}

/** Deletes one key now; true if a live key was there. */
export async function deleteEntry(db: KvDb, storeId: string, key: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ live: boolean }[]>`DELETE FROM "KvEntry" WHERE "storeId" = ${storeId}::uuid AND key = ${key}
    RETURNING ${LIVE} AS live`;
  return rows.some((r) => r.live);
}

/** Deletes every key starting with `prefix` ("" is all); returns how many live keys went. */
export async function deletePrefix(db: KvDb, storeId: string, prefix: string): Promise<number> {
  const upper = prefix ? prefixUpperBound(prefix) : null;
  const conditions = [Prisma.sql`"storeId" = ${storeId}::uuid`];
  if (prefix) conditions.push(Prisma.sql`key >= ${prefix}`);
  if (upper !== null) conditions.push(Prisma.sql`key < ${upper}`);
  const rows = await db.$queryRaw<{ n: number }[]>`WITH gone AS (
      DELETE FROM "KvEntry" WHERE ${Prisma.join(conditions, " AND ")} RETURNING ${LIVE} AS live
    ) SELECT count(*) FILTER (WHERE live)::int AS n FROM gone`;
  return Number(rows[0]?.n ?? 0);
}

export class KvNotAnInteger extends Error {
  constructor(key: string) {
    super(`The value of "${key}" is not a decimal integer, so it cannot be incremented.`);
    this.name = "KvNotAnInteger";
  }
}

/**
 * Adds `by` to the decimal integer stored at `key` (a missing or expired key counts as 0) in
 * ONE statement: the row lock makes concurrent increments serialize, so none is lost.
 * Returns the new value and the old value's byte length (0 if the key was created).
 */
export async function incrementEntry(db: KvDb, storeId: string, key: string, by: bigint): Promise<{ value: bigint; previousSize: number | null }> {
  let rows: { value: string; created: boolean; previous: number | null }[];
  try {
    rows = await db.$queryRaw`WITH old AS (
        SELECT octet_length(value) AS size FROM "KvEntry" WHERE "storeId" = ${storeId}::uuid AND key = ${key} AND ${LIVE}
      )
      INSERT INTO "KvEntry" AS e ("storeId", key, value, "expiresAt", "updatedAt")
      VALUES (${storeId}::uuid, ${key}, convert_to(${by.toString()}::numeric::bigint::text, 'UTF8'), NULL, ${NOW})
      ON CONFLICT ("storeId", key) DO UPDATE SET
        value = CASE WHEN e."expiresAt" IS NOT NULL AND e."expiresAt" <= ${NOW} THEN EXCLUDED.value
                ELSE convert_to((convert_from(e.value, 'UTF8')::bigint + ${by.toString()}::bigint)::text, 'UTF8') END,
        "expiresAt" = CASE WHEN e."expiresAt" IS NOT NULL AND e."expiresAt" <= ${NOW} THEN NULL ELSE e."expiresAt" END,
        "updatedAt" = ${NOW}
      RETURNING convert_from(e.value, 'UTF8') AS value, (xmax = 0) AS created, (SELECT size FROM old) AS previous`;
  } catch (e) {
    if (isSqlError(e, ["22P02", "22003", "22021"])) throw new KvNotAnInteger(key);
    throw e;
  }
  const row = rows[0]!;
  return { value: BigInt(row.value), previousSize: row.created ? null : row.previous === null ? null : Number(row.previous) };
}

/**
 * Writes `value` only if the key holds `expected` now (null: only if it does not exist), in one
 * statement that re-checks the condition under the row lock. True if it wrote.
 */
export async function compareAndSetEntry(
  db: KvDb,
  storeId: string,
  key: string,
  expected: Uint8Array | null,
  value: Uint8Array,
  ttlSeconds?: number,
): Promise<boolean> {
  const expires = ttlSeconds === undefined ? Prisma.sql`NULL::timestamp(3)` : Prisma.sql`${NOW} + make_interval(secs => ${ttlSeconds}::int)`;
  const buf = Buffer.from(value);
  if (expected === null) {
    const rows = await db.$queryRaw<unknown[]>`INSERT INTO "KvEntry" AS e ("storeId", key, value, "expiresAt", "updatedAt")
      VALUES (${storeId}::uuid, ${key}, ${buf}, ${expires}, ${NOW})
      ON CONFLICT ("storeId", key) DO UPDATE SET value = EXCLUDED.value, "expiresAt" = EXCLUDED."expiresAt", "updatedAt" = EXCLUDED."updatedAt"
      WHERE e."expiresAt" IS NOT NULL AND e."expiresAt" <= ${NOW}
      RETURNING 1`;
    return rows.length > 0;
  }
  const rows = await db.$queryRaw<unknown[]>`UPDATE "KvEntry" SET value = ${buf}, "expiresAt" = ${expires}, "updatedAt" = ${NOW}
    WHERE "storeId" = ${storeId}::uuid AND key = ${key} AND value = ${Buffer.from(expected)} AND ${LIVE}
    RETURNING 1`;
  return rows.length > 0;
}

/** Deletes entries that expired more than `graceSeconds` ago, at most `limit` per call. */
export async function deleteExpiredEntries(db: KvDb, { limit = 10_000, graceSeconds = 0 } = {}): Promise<number> {
  return db.$executeRaw`DELETE FROM "KvEntry" WHERE ctid = ANY(ARRAY(
      SELECT ctid FROM "KvEntry" WHERE "expiresAt" < ${NOW} - make_interval(secs => ${graceSeconds}::int) LIMIT ${limit}))`;
}

function isSqlError(e: unknown, codes: string[]): boolean {
  const text = e instanceof Error ? `${e.message} ${JSON.stringify((e as { meta?: unknown }).meta ?? {})}` : String(e);
  return codes.some((c) => text.includes(c)) || /invalid input syntax for type bigint|out of range for type bigint|invalid byte sequence/i.test(text);
}
