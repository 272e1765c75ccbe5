// The gateway's database sink: every served request becomes one RequestRecord, its guest output
// LogLine rows, and an increment of the app's UsageDaily row, written in batches. The request's
// access line is not stored: the record holds the id it takes among the lines (lineId) and the
// log API makes its text when read (access-line.ts).
//
// One flush is ONE SQL statement (so one implicit transaction): the records are inserted with
// ON CONFLICT (id) DO NOTHING, and only the rows that statement really inserted produce log lines
// and usage. A batch retried after a commit whose answer was lost therefore counts nothing twice,
// which keeps metering exact across retries and across any number of gateway processes. A batch
// the database refuses as data is split until the refused records are alone (writeRows), so one
// record it cannot take never costs the others of its batch.
//
// Requests never wait for the database: `push` only appends to a bounded buffer. Past the cap the
// oldest records are dropped and counted (a warning says how many), so a slow or unreachable
// database costs log records, never gateway latency or unbounded memory.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { dbTimeouts, type Db } from "@/lib/db/client";
import type { RequestLog } from "@/lib/deployment-record/ports";
import { escapeControlChars } from "@/lib/wasm/guest-text";
import { LOG_LEVELS_FROM_GATEWAY, type LogLevel } from "./log-levels";

/** What the sink needs of a database client: Prisma's, or the `pg` pool of pgLogDb. */
export type LogDb = Pick<Db, "$queryRawUnsafe">;

export interface LogSinkOptions {
  db: LogDb;
  /**
   * Write through a `pg` pool of one connection to this database instead of `db` (the gateway
   * does): Prisma's raw-query path costs the gateway's main thread ≈ 3 µs more per record.
   */
  databaseUrl?: string;
  /** Flush at least this often (ms). */
  flushMs?: number;
  /**
   * Records per statement; a fuller buffer flushes at once. 1,000: the statement's fixed cost
   * (≈ 0.9 ms of the database's CPU) spread over more records; docs/logs.md's crash bound says it.
   */
  maxBatch?: number;
  /** Records held while the database is slow or away; past it the oldest are dropped. */
  maxBuffered?: number;
  /**
   * Characters of guest lines one statement carries at most (a batch ends early past it; a record
   * alone may exceed it): a request may log 1 MiB, so 1,000 noisy requests would make a statement
   * PostgreSQL refuses (1 GB), and one tenant's noise would stall every tenant's logs.
   */
  maxBatchChars?: number;
  /** Characters of guest lines held in the buffer; past it the oldest records are dropped (memory stays bounded). */
  maxBufferedChars?: number;
  /** Guest lines kept per request; the rest become one "… n more lines" line. */
  maxLinesPerRequest?: number;
  /** Characters kept per line. */
  maxLineChars?: number;
  /** Where warnings go (dropped records, failing flushes); default stderr. */
  warn?: (message: string) => void;
}

export interface LogSinkStats {
  /** Records accepted by push that had a tenant to belong to. */
  accepted: number;
  /** Records written (request records inserted by this process). */
  written: number;
  lines: number;
  /** Records dropped because the buffer was full, or because the database refused them even as ASCII. */
  dropped: number;
  /** Records the database refused as they were (see writeRows): stored as ASCII escapes, or dropped. */
  refused: number;
  /** Requests that reached no deployed app (no tenant/app id): not stored. */
  unattributed: number;
  buffered: number;
  failedFlushes: number;
}

export interface LogSink {
  push(record: RequestLog): void;
  /** Writes everything buffered now (resolves when the buffer is empty or a flush failed). */
  flush(): Promise<void>;
  /** Stops the timer and flushes what is left, giving up after `timeoutMs`. */
  close(timeoutMs?: number): Promise<void>;
  stats(): LogSinkStats;
}

/** One request as the sink writes it (toRow). */
export interface RecordRow {
  id: string;
  tenantId: string;
  appId: string | null;
  versionId: string | null;
  time: string;
  route: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  memoryBytes: number | null;
  bytesIn: number;
  bytesOut: number;
  errorCode: string | null;
  error: string | null;
  gbSeconds: number;
  cpuMs: number;
  kvOps: number;
  /** Outbound HTTP calls, and their request + response body bytes. */
  outboundCalls: number;
  outboundBytes: number;
  /** false: logged but not metered (refused by the spending cap). */
  billable: boolean;
  /** A schedule's run: the slot its access line names. */
  scheduledAt: string | null;
  /** The guest's lines and the gateway's explanation of a failure (the access line is made when read). */
  lines: { level: LogLevel; message: string }[];
}

const INT_MAX = 2 ** 31 - 1;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidOrNull = (s: string | null | undefined) => (s && UUID.test(s) ? s : null);
const clampInt = (n: number | undefined) => Math.max(0, Math.min(INT_MAX, Math.round(n ?? 0)));

/**
 * GB-seconds the way AWS Lambda bills them: the configured memory (not the peak) times the
 * duration rounded up to the next millisecond.
 */
export function gbSeconds(memoryLimitMb: number | undefined, durationMs: number): number {
  if (!memoryLimitMb) return 0;
  return (memoryLimitMb / 1024) * (Math.ceil(durationMs) / 1000);
}

/**
 * Text as it is stored. Guest output arrives escaped already (lib/wasm/guest-text.ts); this also
 * covers the host's own messages, which may quote what a guest named (a route's entrypoint): no
 * NUL (PostgreSQL text cannot hold it) and no UTF-16 half without its pair (JSON would carry it,
 * the database refuses it). Long text is cut at `max` characters, never inside a surrogate pair
 * or a `\xHH` escape.
 */
function storable(text: string, max: number): string {
  const clean = escapeControlChars(text);
  if (clean.length <= max) return clean;
  let end = max;
  const backslash = clean.lastIndexOf("\\", end - 1);
  if (backslash > end - 4 && /^\\x[0-9a-fA-F]{2}/.test(clean.slice(backslash, backslash + 4))) end = backslash;
  const last = clean.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${clean.slice(0, end)}… (${clean.length - end} more characters)`;
}

/** The rows one request produces. */
export function toRow(record: RequestLog, maxLines = 200, maxChars = 8192): RecordRow | null {
  if (!record.tenantId || !UUID.test(record.tenantId) || !UUID.test(record.requestId)) return null;
  const lines: RecordRow["lines"] = [];
  // Most requests write nothing: no intermediate arrays for them.
  for (const message of record.stderr) {
    if (lines.length === maxLines) break;
    lines.push({ level: "stderr", message: storable(message, maxChars) });
  }
  for (const l of record.guestLogs) {
    if (lines.length === maxLines) break;
    lines.push({ level: LOG_LEVELS_FROM_GATEWAY[l.level] ?? "info", message: storable(l.message, maxChars) });
  }
  const guestLines = record.stderr.length + record.guestLogs.length;
  if (guestLines > maxLines) lines.push({ level: "warn", message: `… ${guestLines - maxLines} more lines of this request were not kept` });
  if (record.error) {
    const detail = record.error.detail && !record.error.message.includes(record.error.detail) ? ` [${storable(record.error.detail, 1000)}]` : "";
    lines.push({ level: "error", message: `${record.error.code}: ${storable(record.error.message, 4000)}${detail}` });
  }
  return {
    id: record.requestId,
    tenantId: record.tenantId,
    appId: uuidOrNull(record.appId),
    versionId: uuidOrNull(record.versionId),
    time: record.time,
    route: storable(record.route ?? "", 2048),
    method: storable(record.method, 32),
    path: storable(record.path, 2048),
    status: record.status,
    durationMs: record.durationMs,
    memoryBytes: record.memoryBytes === undefined ? null : clampInt(record.memoryBytes),
    bytesIn: clampInt(record.bytesIn),
    bytesOut: clampInt(record.bytesOut),
    errorCode: record.error ? storable(record.error.code, 64) : null,
    error: record.error ? storable(record.error.message, 4000) : null,
    gbSeconds: gbSeconds(record.memoryLimitMb, record.durationMs),
    cpuMs: record.computeMs ?? 0,
    kvOps: clampInt(record.kvOps),
    outboundCalls: clampInt(record.outboundCalls),
    outboundBytes: clampInt((record.outboundBytesIn ?? 0) + (record.outboundBytesOut ?? 0)),
    billable: record.billable !== false,
    scheduledAt: record.scheduledAt ? storable(record.scheduledAt, 40) : null,
    lines,
  };
}

// Timestamps are declared `timestamp(3)` (what Prisma's DateTime maps to): the ISO text's "Z" is
// ignored, so the stored value is the UTC wall clock, as Prisma stores it, and time::date is the UTC day.
const FLUSH_SQL = `
WITH input AS (
  -- One array per column (recordColumns): the database parses each value by its type's input
  -- function, where json_to_recordset parsed the JSON and looked every key of every record up.
  SELECT (x.n - 1)::int AS ord, x.*
  FROM unnest($3::int[], $4::uuid[], $5::uuid[], $6::uuid[], $7::uuid[], $8::timestamp(3)[], $9::text[], $10::text[], $11::text[],
              $12::int[], $13::float8[], $14::int[], $15::int[], $16::int[], $17::text[], $18::text[], $19::float8[], $20::float8[],
              $21::int[], $22::int[], $23::int[], $24::bool[], $25::text[])
    WITH ORDINALITY AS x(slot, id, "tenantId", "appId", "versionId", time, route, method, path, status, "durationMs", "memoryBytes",
                         "bytesIn", "bytesOut", "errorCode", error, "gbSeconds", "cpuMs", "kvOps", "outboundCalls", "outboundBytes",
                         billable, "scheduledAt", n)
), ids AS MATERIALIZED (
  -- One log id per access line and guest line, drawn in slot order (nextval runs after the sort):
  -- a request's access line comes before its own lines, and requests in the order they were served.
  SELECT slot, nextval('"LogLine_id_seq"') AS id FROM generate_series(0, $2::int - 1) AS slot ORDER BY slot
), ins AS (
  INSERT INTO "RequestRecord" (id, "tenantId", "appId", "versionId", time, route, method, path, status, "durationMs",
                               "memoryBytes", "bytesIn", "bytesOut", "errorCode", error, "lineId", "scheduledAt")
  SELECT i.id, "tenantId", "appId", "versionId", time, route, method, path, status, "durationMs",
         "memoryBytes", "bytesIn", "bytesOut", "errorCode", error, ids.id, "scheduledAt"
  FROM input i JOIN ids USING (slot)
  ON CONFLICT (id) DO NOTHING
  RETURNING id
), lines AS (
  INSERT INTO "LogLine" (id, "tenantId", "appId", "requestId", time, level, message)
  SELECT ids.id, i."tenantId", i."appId", i.id, i.time, l.l, l.m
  FROM json_to_recordset($1::json) AS l(s int, r int, l text, m text)
  JOIN input i ON i.ord = l.r
  JOIN ids ON ids.slot = l.s
  WHERE i.id IN (SELECT id FROM ins)
  RETURNING 1
), usage AS (
  INSERT INTO "UsageDaily" ("tenantId", "appId", day, requests, "gbSeconds", "cpuMs", "egressBytes", "kvOps", "outboundCalls", "outboundBytes")
  SELECT i."tenantId", i."appId", i.time::date, count(*), sum(i."gbSeconds"), sum(i."cpuMs"), sum(i."bytesOut"), sum(i."kvOps"),
         sum(i."outboundCalls"), sum(i."outboundBytes")
  FROM input i
  WHERE i."appId" IS NOT NULL AND i.billable AND i.id IN (SELECT id FROM ins)
  GROUP BY 1, 2, 3
  -- One lock order for every writer: concurrent gateways never deadlock on the same rows.
  ORDER BY 1, 2, 3
  ON CONFLICT ("tenantId", "appId", day) DO UPDATE SET
    requests = "UsageDaily".requests + EXCLUDED.requests,
    "gbSeconds" = "UsageDaily"."gbSeconds" + EXCLUDED."gbSeconds",
    "cpuMs" = "UsageDaily"."cpuMs" + EXCLUDED."cpuMs",
    "egressBytes" = "UsageDaily"."egressBytes" + EXCLUDED."egressBytes",
    "kvOps" = "UsageDaily"."kvOps" + EXCLUDED."kvOps",
    "outboundCalls" = "UsageDaily"."outboundCalls" + EXCLUDED."outboundCalls",
    "outboundBytes" = "UsageDaily"."outboundBytes" + EXCLUDED."outboundBytes"
  RETURNING 1
)
SELECT (SELECT count(*) FROM ins)::int AS records, (SELECT count(*) FROM lines)::int AS lines, (SELECT count(*) FROM usage)::int AS usage`;

/** A value in an array literal: quoted, so that no text is read as NULL, a brace or a separator. */
const quoted = (text: string) => `"${text.replace(/["\\]/g, "\\$&")}"`;
const quotedOrNull = (text: string | null) => (text === null ? "NULL" : quoted(text));
const orNull = (x: string | number | null) => (x === null ? "NULL" : String(x));

/**
 * The records as FLUSH_SQL reads them: one array literal per column ($3…$25), in its order.
 * Numbers are finite (toRow), so their text is their literal.
 */
function recordColumns(rows: RecordRow[], slots: number[]): string[] {
  const columns: string[][] = Array.from({ length: 23 }, () => new Array<string>(rows.length));
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const values = [
      String(slots[i]),
      r.id,
      r.tenantId,
      orNull(r.appId),
      orNull(r.versionId),
      quoted(r.time),
      quoted(r.route),
      quoted(r.method),
      quoted(r.path),
      String(r.status),
      String(r.durationMs),
      orNull(r.memoryBytes),
      String(r.bytesIn),
      String(r.bytesOut),
      quotedOrNull(r.errorCode),
      quotedOrNull(r.error),
      String(r.gbSeconds),
      String(r.cpuMs),
      String(r.kvOps),
      String(r.outboundCalls),
      String(r.outboundBytes),
      r.billable ? "t" : "f",
      quotedOrNull(r.scheduledAt),
    ];
    for (let c = 0; c < values.length; c++) columns[c]![i] = values[c]!;
  }
  return columns.map((values) => `{${values.join(",")}}`);
}

/** Writes one batch in one statement; returns how many records and (guest) lines it inserted. */
export async function writeBatch(db: LogDb, rows: RecordRow[]): Promise<{ records: number; lines: number }> {
  // Slots order the log ids: each record's access line, then its lines. A line names its record
  // by position and takes the ids and the time from it.
  let slot = 0;
  const slots: number[] = [];
  const lines: { s: number; r: number; l: string; m: string }[] = [];
  for (let i = 0; i < rows.length; i++) {
    slots.push(slot++);
    for (const l of rows[i]!.lines) lines.push({ s: slot++, r: i, l: l.level, m: l.message });
  }
  const result = await db.$queryRawUnsafe<{ records: number; lines: number }[]>(FLUSH_SQL, JSON.stringify(lines), slot, ...recordColumns(rows, slots));
  return { records: Number(result[0]?.records ?? 0), lines: Number(result[0]?.lines ?? 0) };
}

/** A statement the database refuses as data (SQLSTATE class 22 or 23) fails the same way every time. */
function isRefusedAsData(e: unknown): boolean {
  // pg's errors carry the SQLSTATE; Prisma's name it in the message.
  if (e instanceof pg.DatabaseError) return /^2[23]/.test(e.code ?? "");
  return /Code: `2[23]/.test(e instanceof Error ? e.message : String(e));
}

/** A LogDb over its own `pg` pool; one connection, since the sink writes one batch at a time. */
function pgLogDb(connectionString: string): LogDb & { end(): Promise<void> } {
  const timeouts = dbTimeouts();
  // Kept open while idle (idleTimeoutMillis 0): under traffic it is used every flush anyway.
  const pool = new pg.Pool({ connectionString, max: 1, idleTimeoutMillis: 0, query_timeout: timeouts.queryMs, connectionTimeoutMillis: timeouts.connectMs });
  // A connection lost while idle must not take the gateway down; the next flush reconnects.
  pool.on("error", () => {});
  // FLUSH_SQL as a named statement: each connection parses and plans it once, not once per batch
  // (≈ 0.25 ms of the database's CPU per batch, measured: 1–2.5 µs per record at 500–100 a batch).
  // One name per connection: the embedded database serves every connection from one session, where
  // a name a failed connection left behind still exists.
  const statementNames = new WeakMap<pg.PoolClient, string>();
  async function query(sql: string, values: unknown[]) {
    const client = await pool.connect();
    try {
      let name: string | undefined;
      if (sql === FLUSH_SQL) {
        name = statementNames.get(client) ?? `wasmcompute-log-flush-${randomUUID()}`;
        statementNames.set(client, name);
      }
      const result = await client.query({ name, text: sql, values });
      client.release();
      return result.rows;
    } catch (e) {
      // The connection goes with the error: the next batch starts on a fresh one.
      client.release(e as Error);
      throw e;
    }
  }
  return {
    $queryRawUnsafe: ((sql: string, ...values: unknown[]) => query(sql, values)) as LogDb["$queryRawUnsafe"],
    end: () => pool.end(),
  };
}

const encoder = new TextEncoder();
/** Last resort for a record the database refused: every byte outside printable ASCII as `\xHH`. */
const asciiOnly = (text: string) =>
  text.replace(/[^\t\n\x20-\x7e]/gu, (c) => Array.from(encoder.encode(c), (b) => `\\x${b.toString(16).padStart(2, "0")}`).join(""));
const asciiRow = (row: RecordRow): RecordRow => ({
  ...row,
  route: asciiOnly(row.route),
  method: asciiOnly(row.method),
  path: asciiOnly(row.path),
  errorCode: row.errorCode === null ? null : asciiOnly(row.errorCode),
  error: row.error === null ? null : asciiOnly(row.error),
  scheduledAt: row.scheduledAt === null ? null : asciiOnly(row.scheduledAt),
  lines: row.lines.map((l) => ({ level: l.level, message: asciiOnly(l.message) })),
});

export interface RefusedRecord {
  requestId: string;
  tenantId: string;
  /** The database's answer. */
  error: string;
  /** true: stored with its text as ASCII escapes; false: it was refused that way too and is lost. */
  stored: boolean;
}

/**
 * Writes rows like writeBatch, but a batch the database refuses as data does not take its other
 * records (other requests, other tenants) down with it: it is halved until the refused records
 * are alone, and each of those is written once more with all its text as ASCII escapes, or left
 * out if even that is refused. toRow makes every field storable, so this is a safety net for
 * what it did not foresee. Any other failure (the database away) throws; the batch is then
 * retried as it was, which counts nothing twice.
 */
export async function writeRows(db: LogDb, rows: RecordRow[], refused: RefusedRecord[] = []): Promise<{ records: number; lines: number }> {
  if (rows.length === 0) return { records: 0, lines: 0 };
  try {
    return await writeBatch(db, rows);
  } catch (e) {
    if (!isRefusedAsData(e)) throw e;
    if (rows.length > 1) {
      const half = rows.length >> 1;
      const first = await writeRows(db, rows.slice(0, half), refused);
      const second = await writeRows(db, rows.slice(half), refused);
      return { records: first.records + second.records, lines: first.lines + second.lines };
    }
    const row = rows[0]!;
    const error = (e instanceof Error ? e.message : String(e)).trim().split("\n").at(-1)!;
    try {
      const written = await writeBatch(db, [asciiRow(row)]);
      refused.push({ requestId: row.id, tenantId: row.tenantId, error, stored: true });
      return written;
    } catch (again) {
      if (!isRefusedAsData(again)) throw again;
      refused.push({ requestId: row.id, tenantId: row.tenantId, error, stored: false });
      return { records: 0, lines: 0 };
    }
  }
}

/** The characters of a row's guest lines and error: what makes one record big. */
function rowChars(row: RecordRow): number {
  let n = row.error?.length ?? 0;
  for (const line of row.lines) n += line.message.length;
  return n;
}

export function createLogSink(options: LogSinkOptions): LogSink {
  const flushMs = options.flushMs ?? 200;
  const maxBatch = options.maxBatch ?? 1000;
  const maxBuffered = options.maxBuffered ?? 50_000;
  const maxBatchChars = options.maxBatchChars ?? 8_000_000;
  const maxBufferedChars = options.maxBufferedChars ?? 64_000_000;
  const maxLines = options.maxLinesPerRequest ?? 200;
  const maxChars = options.maxLineChars ?? 8192;
  const warn = options.warn ?? ((m: string) => process.stderr.write(`[log-sink] ${m}\n`));
  const pgDb = options.databaseUrl ? pgLogDb(options.databaseUrl) : null;
  const db: LogDb = pgDb ?? options.db;
  const stats: LogSinkStats = { accepted: 0, written: 0, lines: 0, dropped: 0, refused: 0, unattributed: 0, buffered: 0, failedFlushes: 0 };

  let buffer: RecordRow[] = [];
  let bufferedChars = 0;
  let flushing: Promise<void> | null = null;
  let closed = false;
  let backoffUntil = 0;
  let droppedSinceWarning = 0;
  let lastWarning = 0;

  function warnDropped() {
    const now = Date.now();
    if (droppedSinceWarning && now - lastWarning > 10_000) {
      warn(`log buffer full (${maxBuffered} records or ${maxBufferedChars} characters of lines): dropped the ${droppedSinceWarning} oldest request records (${stats.dropped} in total)`);
      droppedSinceWarning = 0;
      lastWarning = now;
    }
  }

  /** Takes the first `n` records out of the buffer. */
  function dropHead(n: number): void {
    for (let i = 0; i < n; i++) bufferedChars -= rowChars(buffer[i]!);
    buffer.splice(0, n);
  }

  /** The next batch: up to maxBatch records and maxBatchChars of lines, at least one record. */
  function nextBatch(): RecordRow[] {
    let chars = 0;
    let end = 0;
    while (end < buffer.length && end < maxBatch) {
      chars += rowChars(buffer[end]!);
      if (end > 0 && chars > maxBatchChars) break;
      end++;
    }
    return buffer.slice(0, end);
  }

  async function flushOnce(): Promise<boolean> {
    if (buffer.length === 0) return false;
    const batch = nextBatch();
    const refused: RefusedRecord[] = [];
    try {
      const written = await writeRows(db, batch, refused);
      // Only now leave the buffer: a failed batch is retried as it was (idempotent by request id).
      // Pushes meanwhile may have dropped some of the batch from the head; the rest is still there.
      const inBatch = new Set(batch);
      let n = 0;
      while (n < buffer.length && inBatch.has(buffer[n]!)) n++;
      dropHead(n);
      stats.written += written.records;
      stats.lines += written.lines;
      if (refused.length > 0) {
        const lost = refused.filter((r) => !r.stored).length;
        stats.refused += refused.length;
        stats.dropped += lost;
        // Once per batch, naming the first record: the rest are most likely the same story.
        warn(
          `the database refused ${refused.length} of ${batch.length} request records in a batch (the others were written); ` +
            `${refused.length - lost} stored with their text as ASCII escapes, ${lost} dropped. ` +
            `First: request ${refused[0]!.requestId} of tenant ${refused[0]!.tenantId}: ${refused[0]!.error}`,
        );
      }
      backoffUntil = 0;
      return true;
    } catch (e) {
      stats.failedFlushes++;
      backoffUntil = Date.now() + Math.min(5000, 250 * 2 ** Math.min(stats.failedFlushes, 5));
      if (stats.failedFlushes === 1 || stats.failedFlushes % 20 === 0) {
        warn(`writing request logs failed (${stats.failedFlushes} times so far; ${buffer.length} records waiting): ${(e as Error).message}`);
      }
      return false;
    }
  }

  function flush(): Promise<void> {
    if (!flushing) {
      flushing = (async () => {
        while (buffer.length > 0 && Date.now() >= backoffUntil) {
          if (!(await flushOnce())) break;
        }
      })().finally(() => {
        flushing = null;
        stats.buffered = buffer.length;
        warnDropped();
      });
    }
    return flushing;
  }

  const timer = setInterval(() => void flush(), flushMs);
  timer.unref();

  return {
    push(record) {
      if (closed) return;
      const row = toRow(record, maxLines, maxChars);
      if (!row) {
        stats.unattributed++;
        return;
      }
      stats.accepted++;
      buffer.push(row);
      bufferedChars += rowChars(row);
      if (buffer.length > maxBuffered || bufferedChars > maxBufferedChars) {
        // Records being written sit at the head; dropping them is harmless (the retry would be a no-op).
        let excess = Math.max(0, buffer.length - maxBuffered);
        let chars = bufferedChars;
        for (let i = 0; i < excess; i++) chars -= rowChars(buffer[i]!);
        while (chars > maxBufferedChars && excess < buffer.length - 1) chars -= rowChars(buffer[excess++]!);
        dropHead(excess);
        stats.dropped += excess;
        droppedSinceWarning += excess;
      }
      stats.buffered = buffer.length;
      if (buffer.length >= maxBatch && !flushing) void flush();
    },
    async flush() {
      backoffUntil = 0;
      await flush();
      // The flush that was running may have stopped at a failure before the backoff was reset.
      if (buffer.length > 0) {
        backoffUntil = 0;
        await flush();
      }
    },
    async close(timeoutMs = 5000) {
      closed = true;
      clearInterval(timer);
      const deadline = Date.now() + timeoutMs;
      while (buffer.length > 0 && Date.now() < deadline) {
        backoffUntil = 0;
        await flush();
        if (buffer.length > 0) await new Promise((r) => setTimeout(r, 100));
      }
      if (buffer.length > 0) warn(`stopping with ${buffer.length} request records not written`);
      await pgDb?.end().catch(() => {});
    },
    stats: () => ({ ...stats, buffered: buffer.length }),
  };
}
