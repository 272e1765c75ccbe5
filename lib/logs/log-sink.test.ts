// The batched sink against a real database of each kind: exact counts, idempotent retries, two
// writers at once, bounded buffer, retention.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RequestLog } from "@/lib/runtime/gateway";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "@/lib/testing/test-database";
import { deleteExpiredLogs } from "./delete-expired-logs";
import { createLogSink, toRow, writeBatch } from "./log-sink";

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
    ...over,
  };
}

describe.each<DatabaseKind>(["postgres", "embedded"])("log sink on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(() => database?.close());

  it("writes records, lines and usage exactly, also from two sinks at once", async () => {
    const tenantId = randomUUID();
    const appId = randomUUID();
    const sinks = [createLogSink({ db: database.db, maxBatch: 50 }), createLogSink({ db: database.db, maxBatch: 70 })];
    for (let i = 0; i < 600; i++) sinks[i % 2]!.push(record({ tenantId, appId, status: i % 10 === 0 ? 500 : 200 }));
    await Promise.all(sinks.map((s) => s.close()));
    expect(await database.db.requestRecord.count({ where: { appId } })).toBe(600);
    expect(await database.db.logLine.count({ where: { appId } })).toBe(600 * 4);
    const usage = await database.db.usageDaily.findMany({ where: { appId } });
    expect(usage).toHaveLength(1);
    expect(usage[0]!.requests).toBe(600n);
    expect(usage[0]!.egressBytes).toBe(6000n);
    expect(usage[0]!.kvOps).toBe(1200n);
    // 128 MiB for 2 ms (1.5 rounded up) = 0.125 GB × 0.002 s per request.
    expect(usage[0]!.gbSeconds).toBeCloseTo(600 * 0.125 * 0.002, 9);
  });

  it("a retried batch counts nothing twice", async () => {
    const tenantId = randomUUID();
    const appId = randomUUID();
    const rows = Array.from({ length: 5 }, () => toRow(record({ tenantId, appId }))!);
    expect(await writeBatch(database.db, rows)).toEqual({ records: 5, lines: 20 });
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
    const lines = await database.db.logLine.findMany({ where: { requestId: r.requestId }, orderBy: { id: "asc" } });
    expect(lines.map((l) => [l.level, l.message])).toEqual([
      ["request", "GET / 504 1.5 ms"],
      ["stderr", "a"],
      ["stderr", "b\uFFFD!"],
      ["stderr", "c"],
      ["warn", "… 2 more lines of this request were not kept"],
      ["error", "deadline-exceeded: The app did not finish within its 100 ms limit and was stopped."],
    ]);
    const stored = await database.db.requestRecord.findUniqueOrThrow({ where: { id: r.requestId } });
    expect(stored).toMatchObject({ status: 504, errorCode: "deadline-exceeded", bytesOut: 10 });
    expect(stored.time.toISOString()).toBe(r.time);
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

  it("deletes records and lines past retention, keeps usage", async () => {
    const tenantId = randomUUID();
    const appId = randomUUID();
    const old = new Date(Date.now() - 10 * 86_400_000).toISOString();
    await writeBatch(database.db, [toRow(record({ tenantId, appId, time: old }))!, toRow(record({ tenantId, appId }))!]);
    const deleted = await deleteExpiredLogs({ db: database.db, retentionDays: 7 });
    expect(deleted.records).toBeGreaterThanOrEqual(1);
    expect(await database.db.requestRecord.count({ where: { appId } })).toBe(1);
    expect(await database.db.logLine.count({ where: { appId } })).toBe(4);
    expect(await database.db.usageDaily.count({ where: { appId } })).toBe(2);
  });
});
