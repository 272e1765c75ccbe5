// The datastore's SQL, one function per statement, over a store id the caller has already
// scoped to a tenant and app (lib/kv/find-kv-store.ts for the API, the deployment for the
// gateway). Expired entries are invisible to every read; a sweep deletes them later.
//
// Timestamps are `timestamp(3)` holding the UTC wall clock (what Prisma stores), so "now" is
// always `now() AT TIME ZONE 'UTC'`, whatever the session's time zone; they are read back as
// ISO text with a "Z", so neither driver reinterprets them in the local zone.
import type { KvSql } from "./kv-sql";
import { prefixUpperBound } from "./kv-schemas";

export type { KvSql };

const NOW = `(now() AT TIME ZONE 'UTC')`;
const LIVE = `("expiresAt" IS NULL OR "expiresAt" > ${NOW})`;
const ISO = (col: string) => `to_char(${col}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

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

type TimeRow = { expiresAt: string | null; updatedAt: string };
const times = (r: TimeRow) => ({ expiresAt: r.expiresAt ? new Date(r.expiresAt) : null, updatedAt: new Date(r.updatedAt) });

export async function readEntry(sql: KvSql, storeId: string, key: string): Promise<KvEntryRow | null> {
  const rows = await sql.query<{ key: string; value: Uint8Array } & TimeRow>(
    `SELECT key, value, ${ISO(`"expiresAt"`)} AS "expiresAt", ${ISO(`"updatedAt"`)} AS "updatedAt" FROM "KvEntry"
     WHERE "storeId" = $1::uuid AND key = $2 AND ${LIVE}`,
    [storeId, key],
  );
  const row = rows[0];
  return row ? { key: row.key, value: new Uint8Array(row.value), ...times(row) } : null;
}

/** Only the value: the guest's kv_get. */
export async function readValue(sql: KvSql, storeId: string, key: string): Promise<Uint8Array | null> {
  const rows = await sql.query<{ value: Uint8Array }>(`SELECT value FROM "KvEntry" WHERE "storeId" = $1::uuid AND key = $2 AND ${LIVE}`, [storeId, key]);
  return rows[0] ? new Uint8Array(rows[0].value) : null;
}

/** Sizes (key + value bytes) of the live keys among `keys`. */
export async function readSizes(sql: KvSql, storeId: string, keys: string[]): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const rows = await sql.query<{ key: string; size: number }>(
    `SELECT key, (octet_length(key) + octet_length(value))::int AS size
     FROM "KvEntry" WHERE "storeId" = $1::uuid AND key = ANY($2::text[]) AND ${LIVE}`,
    [storeId, keys],
  );
  return new Map(rows.map((r) => [r.key, Number(r.size)]));
}

/** A page of live keys starting with `prefix`, strictly after `after`, in byte order. */
export async function listKeys(sql: KvSql, storeId: string, { prefix, after, limit }: { prefix: string; after?: string; limit: number }): Promise<KvKeyRow[]> {
  const values: unknown[] = [storeId];
  const conditions = [`"storeId" = $1::uuid`, LIVE];
  const param = (v: unknown) => `$${values.push(v)}`;
  // A range on the primary key (storeId, key): pages stay cheap however many keys the store has.
  if (after !== undefined && after >= prefix) conditions.push(`key > ${param(after)}`);
  else if (prefix) conditions.push(`key >= ${param(prefix)}`);
  const upper = prefix ? prefixUpperBound(prefix) : null;
  if (upper !== null) conditions.push(`key < ${param(upper)}`);
  const rows = await sql.query<{ key: string; size: number } & TimeRow>(
    `SELECT key, octet_length(value)::int AS size, ${ISO(`"expiresAt"`)} AS "expiresAt", ${ISO(`"updatedAt"`)} AS "updatedAt"
     FROM "KvEntry" WHERE ${conditions.join(" AND ")} ORDER BY key LIMIT ${param(limit)}`,
    values,
  );
  return rows.map((r) => ({ key: r.key, size: Number(r.size), ...times(r) }));
}

/** Live keys and bytes (keys + values) over every store of an app. */
export async function readAppUsage(sql: KvSql, appId: string): Promise<{ keys: number; bytes: number }> {
  const rows = await sql.query<{ keys: number; bytes: string | number | bigint }>(
    `SELECT count(*)::int AS keys, coalesce(sum(octet_length(e.key) + octet_length(e.value)), 0)::bigint AS bytes
     FROM "KvEntry" e JOIN "KvStore" s ON s.id = e."storeId"
     WHERE s."appId" = $1::uuid AND (e."expiresAt" IS NULL OR e."expiresAt" > ${NOW})`,
    [appId],
  );
  return { keys: Number(rows[0]?.keys ?? 0), bytes: Number(rows[0]?.bytes ?? 0) };
}

/**
 * Applies a request's writes in one statement (so in one transaction by itself): upserts and
 * deletions together or not at all. The last write of a key wins; callers pass one per key.
 */
export async function applyWrites(sql: KvSql, storeId: string, writes: KvWrite[]): Promise<void> {
  if (writes.length === 0) return;
  const sets = writes.flatMap((w) => ("delete" in w ? [] : [{ k: w.key, v: Buffer.from(w.value).toString("base64"), t: w.ttlSeconds ?? null }]));
  const deletes = writes.flatMap((w) => ("delete" in w ? [w.key] : []));
  await sql.query(
    `WITH input AS (
       SELECT * FROM json_to_recordset($2::json) AS t(k text, v text, t int)
     ), upserted AS (
       INSERT INTO "KvEntry" ("storeId", key, value, "expiresAt", "updatedAt")
       SELECT $1::uuid, k, decode(v, 'base64'), CASE WHEN t IS NULL THEN NULL ELSE ${NOW} + make_interval(secs => t) END, ${NOW}
       FROM input
       -- One lock order for every writer, so two requests writing the same keys never deadlock.
       ORDER BY k
       ON CONFLICT ("storeId", key) DO UPDATE SET value = EXCLUDED.value, "expiresAt" = EXCLUDED."expiresAt", "updatedAt" = EXCLUDED."updatedAt"
       RETURNING 1
     ), deleted AS (
       DELETE FROM "KvEntry" WHERE "storeId" = $1::uuid AND key = ANY($3::text[]) RETURNING 1
     )
     SELECT (SELECT count(*) FROM upserted)::int AS upserted, (SELECT count(*) FROM deleted)::int AS deleted`,
    [storeId, JSON.stringify(sets), deletes],
  );
}

/** Deletes one key now; true if a live key was there. */
export async function deleteEntry(sql: KvSql, storeId: string, key: string): Promise<boolean> {
  const rows = await sql.query<{ live: boolean }>(`DELETE FROM "KvEntry" WHERE "storeId" = $1::uuid AND key = $2 RETURNING ${LIVE} AS live`, [storeId, key]);
  return rows.some((r) => r.live);
}

/** Deletes every key starting with `prefix` ("" is all); returns how many live keys went. */
export async function deletePrefix(sql: KvSql, storeId: string, prefix: string): Promise<number> {
  const values: unknown[] = [storeId];
  const conditions = [`"storeId" = $1::uuid`];
  if (prefix) conditions.push(`key >= $${values.push(prefix)}`);
  const upper = prefix ? prefixUpperBound(prefix) : null;
  if (upper !== null) conditions.push(`key < $${values.push(upper)}`);
  const rows = await sql.query<{ n: number }>(
    `WITH gone AS (DELETE FROM "KvEntry" WHERE ${conditions.join(" AND ")} RETURNING ${LIVE} AS live)
     SELECT count(*) FILTER (WHERE live)::int AS n FROM gone`,
    values,
  );
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
 * Returns the new value and the old value's byte length (null if the key was created).
 */
export async function incrementEntry(sql: KvSql, storeId: string, key: string, by: bigint): Promise<{ value: bigint; previousSize: number | null }> {
  const expired = `e."expiresAt" IS NOT NULL AND e."expiresAt" <= ${NOW}`;
  let rows: { value: string; created: boolean; previous: number | null }[];
  try {
    rows = await sql.query(
      `WITH old AS (SELECT octet_length(value) AS size FROM "KvEntry" WHERE "storeId" = $1::uuid AND key = $2 AND ${LIVE})
       INSERT INTO "KvEntry" AS e ("storeId", key, value, "expiresAt", "updatedAt")
       VALUES ($1::uuid, $2, convert_to($3::bigint::text, 'UTF8'), NULL, ${NOW})
       ON CONFLICT ("storeId", key) DO UPDATE SET
         value = CASE WHEN ${expired} THEN EXCLUDED.value
                 ELSE convert_to((convert_from(e.value, 'UTF8')::bigint + $3::bigint)::text, 'UTF8') END,
         "expiresAt" = CASE WHEN ${expired} THEN NULL ELSE e."expiresAt" END,
         "updatedAt" = ${NOW}
       RETURNING convert_from(e.value, 'UTF8') AS value, (xmax = 0) AS created, (SELECT size FROM old)::int AS previous`,
      [storeId, key, by.toString()],
    );
  } catch (e) {
    if (isNotAnInteger(e)) throw new KvNotAnInteger(key);
    throw e;
  }
  const row = rows[0]!;
  return { value: BigInt(row.value), previousSize: row.created || row.previous === null ? null : Number(row.previous) };
}

/**
 * Writes `value` only if the key holds `expected` now (null: only if it does not exist), in one
 * statement that re-checks the condition under the row lock. True if it wrote.
 */
export async function compareAndSetEntry(sql: KvSql, storeId: string, key: string, expected: Uint8Array | null, value: Uint8Array, ttlSeconds?: number): Promise<boolean> {
  const expires = `CASE WHEN $4::int IS NULL THEN NULL ELSE ${NOW} + make_interval(secs => $4::int) END`;
  const values: unknown[] = [storeId, key, Buffer.from(value), ttlSeconds ?? null];
  if (expected === null) {
    const rows = await sql.query(
      `INSERT INTO "KvEntry" AS e ("storeId", key, value, "expiresAt", "updatedAt") VALUES ($1::uuid, $2, $3, ${expires}, ${NOW})
       ON CONFLICT ("storeId", key) DO UPDATE SET value = EXCLUDED.value, "expiresAt" = EXCLUDED."expiresAt", "updatedAt" = EXCLUDED."updatedAt"
       WHERE e."expiresAt" IS NOT NULL AND e."expiresAt" <= ${NOW}
       RETURNING 1`,
      values,
    );
    return rows.length > 0;
  }
  const rows = await sql.query(
    `UPDATE "KvEntry" SET value = $3, "expiresAt" = ${expires}, "updatedAt" = ${NOW}
     WHERE "storeId" = $1::uuid AND key = $2 AND value = $5 AND ${LIVE} RETURNING 1`,
    [...values, Buffer.from(expected)],
  );
  return rows.length > 0;
}

/** Deletes entries that expired more than `graceSeconds` ago, at most `limit` per call. */
export async function deleteExpiredEntries(sql: KvSql, { limit = 10_000, graceSeconds = 0 } = {}): Promise<number> {
  const rows = await sql.query<{ n: number }>(
    `WITH gone AS (DELETE FROM "KvEntry" WHERE ctid = ANY(ARRAY(
       SELECT ctid FROM "KvEntry" WHERE "expiresAt" < ${NOW} - make_interval(secs => $1::int) LIMIT $2::int)) RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [graceSeconds, limit],
  );
  return Number(rows[0]?.n ?? 0);
}

function isNotAnInteger(e: unknown): boolean {
  const text = e instanceof Error ? `${e.message} ${JSON.stringify((e as { meta?: unknown; code?: unknown }).meta ?? (e as { code?: unknown }).code ?? "")}` : String(e);
  return /22P02|22003|22021|invalid input syntax for type bigint|out of range for type bigint|invalid byte sequence/i.test(text);
}

/**
 * ANALYZE "KvEntry" once its statistics are stale, by autovacuum's own rule (50 rows + 10% of the
 * table changed since the last analyze). The embedded database (PGlite) has no autovacuum, so
 * without this its planner never learns how large a store is: it then answered a key-browser page
 * of a 100,000-key store by reading the whole store and sorting it (≈0.7 s a page) instead of a
 * primary-key range scan that stops at the page's LIMIT (lib/kv/kv-large-store.embedded.test.ts).
 * On PostgreSQL autovacuum normally gets there first and this finds nothing to do. True if it ran.
 */
export async function analyzeEntriesIfStale(sql: KvSql): Promise<boolean> {
  // A backend publishes its row counts at most once a second, so without this the counts of the
  // writes just before an ANALYZE could land after it and make the table look stale again (the
  // embedded database is one backend: this makes its answer exact; PostgreSQL 15+ has it too).
  await sql.query(`SELECT pg_stat_force_next_flush()::text`, []);
  const rows = await sql.query<{ stale: boolean }>(
    `SELECT n_mod_since_analyze > 50 + 0.1 * n_live_tup AS stale FROM pg_stat_user_tables WHERE relname = 'KvEntry'`,
    [],
  );
  if (!rows[0]?.stale) return false;
  await sql.query(`ANALYZE "KvEntry"`, []);
  return true;
}
