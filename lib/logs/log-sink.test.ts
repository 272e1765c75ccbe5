// The batched sink against a real database of each kind: exact counts, idempotent retries, two
// writers at once, bounded buffer, retention.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RequestLog } from "@/lib/deployment-record/ports";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "@/lib/testing/test-database";
import { deleteExpiredLogs } from "./delete-expired-logs";
import { SELECT_LINES, toEntry, type LogRow } from "./log-query";
import { createLogSink, toRow, writeBatch, writeRows, type RefusedRecord } from "./log-sink";

function record(over: Partial<RequestLog> & { tenantId: string; appId: string }): RequestLog {
  return {
    requestId: randomUUID(),
    time: new Date().toISOString(),
    tenant: "t",
    app: "a",
    versionId: null,
    method: "GET",
    path: "/",
    status: 200,
    durationMs: 1.5,
    stderr: ["one", "two"],
    guestLogs: [{ level: "warn", message: "careful" }],
    memoryLimitMb: 128,
    bytesOut: 10,
    kvOps: 2,
    outboundCalls: 3,
    outboundBytesOut: 100,
    outboundBytesIn: 900,
    ...over,
  };
}

describe.each<DatabaseKind>(["postgres", "embedded"])("log sink on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(() => database?.close());

  /** A request's lines as the log API reads them, its access line (made from the record) included. */
  const readLines = async (requestId: string) =>
    (await database.db.$queryRaw<LogRow[]>`${SELECT_LINES} WHERE l."requestId" = ${requestId}::uuid ORDER BY l.id`).map(toEntry).map((l) => [l.level, l.message]);

  it("writes records, lines and usage exactly, also from two sinks at once (through Prisma and through pg)", async () => {
    const tenantId = randomUUID();
    const appId = randomUUID();
    const sinks = [createLogSink({ db: database.db, maxBatch: 50 }), createLogSink({ db: database.db, databaseUrl: database.url, maxBatch: 70 })];
    for (let i = 0; i < 600; i++) sinks[i % 2]!.push(record({ tenantId, appId, status: i % 10 === 0 ? 500 : 200 }));
    await Promise.all(sinks.map((s) => s.close()));
    expect(await database.db.requestRecord.count({ where: { appId } })).toBe(600);
    // Three guest lines each; the access line is not stored, its record holds the id it reads at.
    expect(await database.db.logLine.count({ where: { appId } })).toBe(600 * 3);
    expect(await database.db.logLine.count({ where: { appId, level: "request" } })).toBe(0);
    expect(await database.db.requestRecord.count({ where: { appId, lineId: null } })).toBe(0);
    const usage = await database.db.usageDaily.findMany({ where: { appId } });
    expect(usage).toHaveLength(1);
    expect(usage[0]!.requests).toBe(600n);
    expect(usage[0]!.egressBytes).toBe(6000n);
    expect(usage[0]!.kvOps).toBe(1200n);
    expect(usage[0]!.outboundCalls).toBe(1800n);
    expect(usage[0]!.outboundBytes).toBe(600_000n);
    // 128 MiB for 2 ms (1.5 rounded up) = 0.125 GB × 0.002 s per request.
    expect(usage[0]!.gbSeconds).toBeCloseTo(600 * 0.125 * 0.002, 9);
  });

  it("a retried batch counts nothing twice", async () => {
    const tenantId = randomUUID();
    const appId = randomUUID();
    const rows = Array.from({ length: 5 }, () => toRow(record({ tenantId, appId }))!);
    expect(await writeBatch(database.db, rows)).toEqual({ records: 5, lines: 15 });
    expect(await writeBatch(database.db, rows)).toEqual({ records: 0, lines: 0 });
    const usage = await database.db.usageDaily.findFirstOrThrow({ where: { appId } });
    expect(usage.requests).toBe(5n);
  });

  it("keeps line order, explains errors, caps lines per request", async () => {
    const tenantId = randomUUID();
    const appId = randomUUID();
    const sink = createLogSink({ db: database.db, maxLinesPerRequest: 3 });
    const r = record({
      tenantId,
      appId,
      status: 504,
      stderr: ["a", "b\0!", "c", "d", "e"],
      guestLogs: [],
      error: { code: "deadline-exceeded", message: "The app did not finish within its 100 ms limit and was stopped." },
    });
    sink.push(r);
    await sink.close();
    expect(await readLines(r.requestId)).toEqual([
      ["request", "GET / 504 1.5 ms"],
      ["stderr", "a"],
      ["stderr", "b\\x00!"],
      ["stderr", "c"],
      ["warn", "… 2 more lines of this request were not kept"],
      ["error", "deadline-exceeded: The app did not finish within its 100 ms limit and was stopped."],
    ]);
    const stored = await database.db.requestRecord.findUniqueOrThrow({ where: { id: r.requestId } });
    expect(stored).toMatchObject({ status: 504, errorCode: "deadline-exceeded", bytesOut: 10 });
    expect(stored.time.toISOString()).toBe(r.time);
  });

  it("stores what a guest wrote whatever it is; the other records of its batch, of two tenants, are all kept", async () => {
    const [tenantA, tenantB] = [randomUUID(), randomUUID()];
    const [appA, appB] = [randomUUID(), randomUUID()];
    const warnings: string[] = [];
    const sink = createLogSink({ db: database.db, maxBatch: 500, flushMs: 60_000, warn: (m) => warnings.push(m) });
    const good = [
      ...Array.from({ length: 5 }, () => record({ tenantId: tenantA, appId: appA })),
      ...Array.from({ length: 5 }, () => record({ tenantId: tenantB, appId: appB })),
    ];
    // Guest text the database cannot take as it is, where the host used to pass it on: a NUL in the
    // gateway's own error line (quoting a route's entrypoint) and in the route, a UTF-16 half
    // without its pair, a line cut in the middle of an emoji.
    const bad = record({
      tenantId: tenantA,
      appId: appA,
      status: 502,
      route: "/nul\0route",
      stderr: ["nul \0 esc \x1b", "half \ud800 here", `${"a".repeat(8191)}\u{1F600}`],
      guestLogs: [{ level: "info", message: "log \0" }],
      error: { code: "missing-entrypoint", message: 'The app\'s module does not export the function "nul\0entry".' },
    });
    for (const r of [...good.slice(0, 5), bad, ...good.slice(5)]) sink.push(r);
    await sink.close();

    expect(warnings).toEqual([]);
    expect(sink.stats()).toMatchObject({ accepted: 11, written: 11, dropped: 0, refused: 0 });
    for (const [tenantId, appId] of [[tenantA, appA], [tenantB, appB]] as const) {
      expect(await database.db.requestRecord.count({ where: { tenantId, appId } })).toBe(tenantId === tenantA ? 6 : 5);
      expect((await database.db.usageDaily.findFirstOrThrow({ where: { tenantId, appId } })).requests).toBe(tenantId === tenantA ? 6n : 5n);
    }
    const lines = await database.db.logLine.findMany({ where: { requestId: { in: good.map((r) => r.requestId) } } });
    expect(lines).toHaveLength(10 * 3);
    expect(await readLines(bad.requestId)).toEqual([
      ["request", "GET / 502 1.5 ms"],
      ["stderr", "nul \\x00 esc \\x1b"],
      ["stderr", "half \uFFFD here"],
      // Cut before the emoji, not through it.
      ["stderr", `${"a".repeat(8191)}… (2 more characters)`],
      ["info", "log \\x00"],
      ["error", 'missing-entrypoint: The app\'s module does not export the function "nul\\x00entry".'],
    ]);
    expect(await database.db.requestRecord.findUniqueOrThrow({ where: { id: bad.requestId } })).toMatchObject({
      route: "/nul\\x00route",
      error: 'The app\'s module does not export the function "nul\\x00entry".',
    });
  });

  it("never cuts a line inside an escape", () => {
    const line = (message: string) => toRow(record({ tenantId: randomUUID(), appId: randomUUID(), stderr: [message], guestLogs: [] }), 200, 10)!.lines[0]!.message;
    expect(line("abcdefgh\\x00")).toBe("abcdefgh… (4 more characters)");
    expect(line("abcdefg\\x00")).toBe("abcdefg… (4 more characters)");
    expect(line("abcdef\\x00x")).toBe("abcdef\\x00… (1 more characters)");
    expect(line("abcdefghi\\")).toBe("abcdefghi\\");
  });

  it("a record the database refuses does not cost the others of its batch: split until it is alone, stored as ASCII or dropped, said once", async () => {
    const [tenantA, tenantB] = [randomUUID(), randomUUID()];
    const [appA, appB] = [randomUUID(), randomUUID()];
    const rowsA = Array.from({ length: 7 }, () => toRow(record({ tenantId: tenantA, appId: appA }))!);
    const rowsB = Array.from({ length: 6 }, () => toRow(record({ tenantId: tenantB, appId: appB }))!);
    // What toRow would never let through, standing for whatever it did not foresee: a raw NUL
    // (refused as text, stored once made ASCII) and a time that is no time (refused however written).
    const nul = toRow(record({ tenantId: tenantA, appId: appA }))!;
    nul.lines[0]!.message = "raw \0 nul, then é";
    const noTime = toRow(record({ tenantId: tenantB, appId: appB, time: "not a time" }))!;
    const refused: RefusedRecord[] = [];
    const written = await writeRows(database.db, [...rowsA.slice(0, 3), nul, ...rowsB.slice(0, 3), noTime, ...rowsA.slice(3), ...rowsB.slice(3)], refused);

    expect(written).toEqual({ records: 14, lines: 14 * 3 });
    expect(refused).toEqual([
      { requestId: nul.id, tenantId: tenantA, stored: true, error: expect.stringMatching(/22P05|Unicode/) },
      { requestId: noTime.id, tenantId: tenantB, stored: false, error: expect.stringMatching(/22007|datetime|time/) },
    ]);
    expect(await database.db.requestRecord.count({ where: { appId: appA } })).toBe(8);
    expect(await database.db.requestRecord.count({ where: { appId: appB } })).toBe(6);
    expect((await database.db.usageDaily.findFirstOrThrow({ where: { appId: appA } })).requests).toBe(8n);
    expect((await database.db.usageDaily.findFirstOrThrow({ where: { appId: appB } })).requests).toBe(6n);
    const nulLines = await database.db.logLine.findMany({ where: { requestId: nul.id }, orderBy: { id: "asc" } });
    expect(nulLines[0]!.message).toBe("raw \\x00 nul, then \\xc3\\xa9");

    // Through the sink, which writes through pg as the gateway does: the same, with one warning for the batch.
    const warnings: string[] = [];
    const sink = createLogSink({ db: database.db, databaseUrl: database.url, flushMs: 60_000, warn: (m) => warnings.push(m) });
    const later = [record({ tenantId: tenantA, appId: appA }), record({ tenantId: tenantB, appId: appB, time: "not a time" }), record({ tenantId: tenantB, appId: appB })];
    for (const r of later) sink.push(r);
    await sink.close();
    expect(sink.stats()).toMatchObject({ accepted: 3, written: 2, refused: 1, dropped: 1, buffered: 0 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`refused 1 of 3 request records in a batch \\(the others were written\\); 0 stored .* 1 dropped\\. First: request ${later[1]!.requestId} of tenant ${tenantB}`));
    expect(await database.db.requestRecord.count({ where: { id: { in: [later[0]!.requestId, later[2]!.requestId] } } })).toBe(2);
  });

  it("drops the oldest records past its cap instead of growing, and says so", async () => {
    const warnings: string[] = [];
    const tenantId = randomUUID();
    const appId = randomUUID();
    // A database that is away: every flush fails.
    const broken = { $queryRawUnsafe: () => Promise.reject(new Error("connection refused")) } as unknown as TestDatabase["db"];
    const sink = createLogSink({ db: broken, maxBuffered: 100, flushMs: 10, warn: (m) => warnings.push(m) });
    for (let i = 0; i < 250; i++) sink.push(record({ tenantId, appId }));
    await sink.close(300);
    expect(sink.stats()).toMatchObject({ accepted: 250, dropped: 150, buffered: 100 });
    expect(warnings.join("\n")).toMatch(/connection refused/);
    expect(warnings.join("\n")).toMatch(/dropped the 150 oldest|100 request records not written/);
  });

  it("ends a batch at its characters of lines: one tenant's noisy requests never make a statement too big to write", async () => {
    const tenantId = randomUUID();
    const appId = randomUUID();
    let statements = 0;
    const counting = {
      $queryRawUnsafe: (...args: Parameters<TestDatabase["db"]["$queryRawUnsafe"]>) => {
        statements++;
        return database.db.$queryRawUnsafe(...args);
      },
    } as unknown as TestDatabase["db"];
    const sink = createLogSink({ db: counting, flushMs: 60_000, maxBatchChars: 50_000 });
    const noisy = Array.from({ length: 4 }, () => "x".repeat(8000)); // 32,000 characters a request
    for (let i = 0; i < 6; i++) sink.push(record({ tenantId, appId, stderr: noisy, guestLogs: [] }));
    for (let i = 0; i < 20; i++) sink.push(record({ tenantId, appId }));
    await sink.flush();
    await sink.close();
    expect(sink.stats()).toMatchObject({ written: 26, dropped: 0, buffered: 0 });
    // Five noisy records alone, then the sixth with the twenty small ones.
    expect(statements).toBe(6);
    const stored = await database.db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "RequestRecord" WHERE "tenantId" = ${tenantId}::uuid`;
    expect(stored[0]?.n).toBe(26);
  });

  it("holds at most its characters of lines while the database is away, dropping the oldest records", async () => {
    const warnings: string[] = [];
    const broken = { $queryRawUnsafe: () => Promise.reject(new Error("connection refused")) } as unknown as TestDatabase["db"];
    const sink = createLogSink({ db: broken, maxBufferedChars: 100_000, flushMs: 10, warn: (m) => warnings.push(m) });
    const noisy = Array.from({ length: 4 }, () => "x".repeat(8000));
    for (let i = 0; i < 10; i++) sink.push(record({ tenantId: randomUUID(), appId: randomUUID(), stderr: noisy, guestLogs: [] }));
    expect(sink.stats()).toMatchObject({ accepted: 10, dropped: 7, buffered: 3 });
    await sink.close(300);
    expect(warnings.join("\n")).toMatch(/dropped the 7 oldest|3 request records not written/);
  });

  it("deletes records and lines past retention, keeps usage", async () => {
    const tenantId = randomUUID();
    const appId = randomUUID();
    const old = new Date(Date.now() - 10 * 86_400_000).toISOString();
    await writeBatch(database.db, [toRow(record({ tenantId, appId, time: old }))!, toRow(record({ tenantId, appId }))!]);
    const deleted = await deleteExpiredLogs({ db: database.db, retentionDays: 7 });
    expect(deleted.records).toBeGreaterThanOrEqual(1);
    expect(await database.db.requestRecord.count({ where: { appId } })).toBe(1);
    expect(await database.db.logLine.count({ where: { appId } })).toBe(3);
    expect(await database.db.usageDaily.count({ where: { appId } })).toBe(2);
  });

  it("deletes the expired records of every tenant, chunk after chunk, and keeps the others", async () => {
    const old = new Date(Date.now() - 10 * 86_400_000).toISOString();
    const apps = Array.from({ length: 3 }, () => ({ tenantId: randomUUID(), appId: randomUUID() }));
    const quiet = { stderr: [], guestLogs: [] };
    await writeBatch(
      database.db,
      apps.flatMap((app) => [...Array.from({ length: 3 }, () => toRow(record({ ...app, ...quiet, time: old }))!), toRow(record({ ...app, ...quiet }))!]),
    );
    const deleted = await deleteExpiredLogs({ db: database.db, retentionDays: 7, chunk: 2 });
    expect(deleted.records).toBe(9);
    for (const { appId } of apps) expect(await database.db.requestRecord.count({ where: { appId } })).toBe(1);
  });

  it("keeps no index on RequestRecord that no query uses (each one costs every request's insert)", async () => {
    const indexes = await database.db.$queryRawUnsafe<{ indexname: string }[]>(
      `SELECT indexname FROM pg_indexes WHERE tablename = 'RequestRecord' ORDER BY indexname`,
    );
    expect(indexes.map((i) => i.indexname)).toEqual([
      "RequestRecord_appId_lineId_idx",
      "RequestRecord_appId_time_idx",
      "RequestRecord_pkey",
      "RequestRecord_tenantId_lineId_idx",
      "RequestRecord_tenantId_time_idx",
    ]);
  });
});
