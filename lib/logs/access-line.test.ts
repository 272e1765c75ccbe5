// The access line is made from the RequestRecord when the log is read (access-line.ts): through a
// real gateway, worker pool and batched sink on each kind of database, every request reads as
// before — its access line first, then its own lines, in pages, after a cursor, in the live tail,
// with the text the sink used to store — and metering stays exact when a burst spans many
// batches. Access lines stored before (as LogLine rows) are moved onto their records by the
// migration, at the same id, and shown once.
import { randomUUID } from "node:crypto";
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpActor } from "@/lib/testing/actors";
import { listenOnLoopback } from "@/lib/testing/listen";
import type { Actor } from "@/lib/auth/actor";
import { createApp } from "@/lib/apps/create-app";
import type { RequestLog } from "@/lib/deployment-record/ports";
import { createLiveDeployments, type LiveDeployments } from "@/lib/deployments/live-deployments";
import { deployVersion } from "@/lib/deployments/deploy-version";
import { migrate, MIGRATIONS_DIR } from "@/lib/db/migrate";
import { createExportedRouteDiscovery } from "@/lib/runtime/discover-routes";
import { createGateway, type Gateway } from "@/lib/runtime/gateway";
import { ModuleCache } from "@/lib/runtime/module-cache";
import { WorkerPool } from "@/lib/runtime/worker-pool";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "@/lib/testing/test-database";
import { publishVersion } from "@/lib/versions/publish-version";
import type { LogEntry } from "@/lib/api-shapes/log-shapes";
import { findLogs } from "./find-logs";
import { findRequestLog } from "./find-request-log";
import { parseLogQuery } from "./log-query";
import { createLogSink, type LogSink } from "./log-sink";
import { tailLogs } from "./tail-logs";

const ROOT = path.resolve(import.meta.dirname, "../..");
const fixture = async (name: string) => new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm", `${name}.wasm`)));
const REQUESTS = 120;
const GUEST_LINES = ["starting handler", "warning: something odd but harmless"]; // fixtures/wasm/stderr.wasm

describe.each<DatabaseKind>(["postgres", "embedded"])("access lines read from request records on %s", (kind) => {
  let database: TestDatabase;
  let pool: WorkerPool;
  let live: LiveDeployments;
  let sink: LogSink;
  let gateway: Gateway;
  let base: string;
  let actor: Actor;
  let appId: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    pool = await WorkerPool.create({ size: 1 });
    const moduleCache = new ModuleCache();
    live = createLiveDeployments({ db: database.db, pollMs: 60_000, discoverRoutes: createExportedRouteDiscovery(pool, moduleCache) });
    // Small batches, written only when the test flushes (and whenever 7 are waiting): a burst spans many statements.
    sink = createLogSink({ db: database.db, flushMs: 60_000, maxBatch: 7 });
    gateway = await createGateway({ resolve: live.resolve, pool, moduleCache, onLog: (record) => sink.push(record) });
    base = await listenOnLoopback(gateway.server);
    actor = await signUpActor("alice");
    await createApp({ actor, input: { name: "hello" } });
    appId = (await database.db.app.findFirstOrThrow({ where: { tenantId: actor.tenantId, name: "hello" } })).id;
    await publishVersion({ actor, appName: "hello", input: { version: "1.0.0", module: await fixture("stderr"), files: [] } });
    await deployVersion({ actor, appName: "hello", input: { version: "1.0.0" } });
    await live.refresh();
  }, 120_000);

  afterAll(async () => {
    await gateway?.close();
    await pool?.close();
    live?.close();
    await sink?.close();
    await database?.close();
  });

  const list = (params: Record<string, string> = {}) => findLogs({ actor, appName: "hello", query: parseLogQuery(new URLSearchParams(params)) });
  /** What the sink stored as the access line before it was made when read. */
  const storedText = (r: { method: string; path: string; status: number; durationMs: number }) => `${r.method} ${r.path} ${r.status} ${r.durationMs.toFixed(1)} ms`;

  /** Every entry of the app's log oldest first, read in newest-first pages of `limit`. */
  async function readAllPages(limit: number): Promise<LogEntry[]> {
    const all: LogEntry[] = [];
    let before: string | null = null;
    do {
      const page = await list({ limit: String(limit), ...(before ? { before } : {}) });
      all.push(...page.logs);
      before = page.nextCursor;
    } while (before);
    return all.toReversed();
  }

  it(`${REQUESTS} concurrent requests: exactly ${REQUESTS} records and metered requests, each read as its access line and then its own lines`, async () => {
    const ids = await Promise.all(
      Array.from({ length: REQUESTS }, async (_, i) => {
        const res = await fetchApp(appUrl(base, "alice", "hello", `/n/${i}`));
        expect(res.status).toBe(200);
        await res.arrayBuffer();
        return res.headers.get("x-request-id")!;
      }),
    );
    await sink.flush();
    expect(await database.db.requestRecord.count({ where: { appId } })).toBe(REQUESTS);
    const usage = await database.db.usageDaily.findMany({ where: { appId } });
    expect(usage.reduce((n, u) => n + u.requests, 0n)).toBe(BigInt(REQUESTS));
    // Only the guest's lines are stored.
    expect(await database.db.logLine.count({ where: { appId } })).toBe(REQUESTS * GUEST_LINES.length);

    const records = new Map((await database.db.requestRecord.findMany({ where: { appId } })).map((r) => [r.id, r]));
    const entries = await readAllPages(50);
    expect(entries).toHaveLength(REQUESTS * 3);
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    // Oldest first: each request is its access line, then its two lines, before the next request's.
    for (let i = 0; i < entries.length; i += 3) {
      const [access, ...own] = entries.slice(i, i + 3) as [LogEntry, LogEntry, LogEntry];
      const record = records.get(access.requestId)!;
      expect(access).toMatchObject({ level: "request", message: storedText(record), status: 200, method: "GET", path: record.path, version: "1.0.0", app: "hello" });
      expect(access.time).toBe(record.time.toISOString());
      expect(own.map((l) => [l.requestId, l.level, l.message])).toEqual(GUEST_LINES.map((m) => [access.requestId, "stderr", m]));
      expect(BigInt(access.id)).toBe(record.lineId);
    }
    expect(new Set(entries.map((e) => e.requestId))).toEqual(new Set(ids));

    // Following after a cursor reads the same, oldest first.
    const after = await list({ after: (BigInt(entries[0]!.id) - 1n).toString(), limit: "1000" });
    expect(after.order).toBe("oldest-first");
    expect(after.logs.map((l) => [l.id, l.message])).toEqual(entries.map((l) => [l.id, l.message]));

    // One request's view.
    const detail = await findRequestLog({ actor, appName: "hello", requestId: ids[3]! });
    expect(detail.lines.map((l) => [l.level, l.message])).toEqual([["request", storedText(records.get(ids[3]!)!)], ...GUEST_LINES.map((m) => ["stderr", m])]);
  });

  it("filters see the access line as a line: level, status, text, request", async () => {
    expect((await list({ level: "request", limit: "1000" })).logs).toHaveLength(REQUESTS);
    expect((await list({ level: "stderr", limit: "1000" })).logs).toHaveLength(REQUESTS * 2);
    expect((await list({ status: "404", limit: "1000" })).logs).toHaveLength(0);
    expect((await list({ status: "2xx", limit: "1000" })).logs).toHaveLength(REQUESTS * 3);
    const found = await list({ q: "/N/17 200" });
    expect(found.logs.map((l) => l.message)).toEqual([expect.stringMatching(/^GET \/n\/17 200 \d+\.\d ms$/)]);
    const one = await list({ requestId: found.logs[0]!.requestId });
    expect(one.logs.map((l) => l.level)).toEqual(["stderr", "stderr", "request"]);
  });

  it("a schedule's run names its slot; a duration reads as toFixed rounds it", async () => {
    const record = (over: Partial<RequestLog>): RequestLog => ({
      requestId: randomUUID(),
      time: new Date().toISOString(),
      tenantId: actor.tenantId,
      appId,
      tenant: "alice",
      app: "hello",
      versionId: null,
      method: "GET",
      path: "/",
      status: 200,
      durationMs: 1,
      stderr: [],
      guestLogs: [],
      ...over,
    });
    // 0.15 is a little under 0.15 in binary: toFixed(1) says 0.1, as the stored line did.
    const scheduled = record({ scheduledAt: "2026-12-04T10:00:00.000Z", durationMs: 0.15, path: "/tick" });
    const odd = record({ durationMs: 1234.5678, path: "/caf\u00e9?q=\\x00" });
    sink.push(scheduled);
    sink.push(odd);
    await sink.flush();
    const line = async (requestId: string) => (await findRequestLog({ actor, appName: "hello", requestId })).lines[0]!.message;
    expect(await line(scheduled.requestId)).toBe("[scheduled 2026-12-04T10:00:00.000Z] GET /tick 200 0.1 ms");
    expect(await line(odd.requestId)).toBe("GET /caf\u00e9?q=\\x00 200 1234.6 ms");
    expect((await list({ q: "[scheduled 2026-12-04" })).logs.map((l) => l.requestId)).toEqual([scheduled.requestId]);
  });

  it("the live tail sends each access line once, before its request's own lines", async () => {
    const controller = new AbortController();
    const stream = await tailLogs({ actor, appName: "hello", query: parseLogQuery(new URLSearchParams()), signal: controller.signal });
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value); // the greeting: the tail starts after the lines above
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await fetchApp(appUrl(base, "alice", "hello", `/tail/${i}`))).headers.get("x-request-id")!);
    await sink.flush();
    const events = (): { id: string; entry: LogEntry }[] =>
      text
        .split("\n\n")
        .filter((b) => /^event: log$/m.test(b))
        .map((b) => ({ id: /^id: (\d+)$/m.exec(b)![1]!, entry: JSON.parse(/^data: (.*)$/m.exec(b)![1]!) as LogEntry }));
    const deadline = Date.now() + 10_000;
    while (events().length < ids.length * 3 && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    controller.abort();
    const got = events();
    expect(got.map((e) => [e.entry.requestId, e.entry.level, e.entry.message])).toEqual(
      ids.flatMap((id, i) => [
        [id, "request", expect.stringMatching(new RegExp(`^GET /tail/${i} 200 \\d+\\.\\d ms$`))],
        ...GUEST_LINES.map((m) => [id, "stderr", m]),
      ]),
    );
    expect(got.every((e) => e.id === e.entry.id)).toBe(true);
  });
});

describe.each<DatabaseKind>(["postgres", "embedded"])("access lines stored before, on %s", (kind) => {
  const MIGRATION = "access-line-from-request-record";
  let database: TestDatabase;
  let older: string;

  beforeAll(async () => {
    // A database as it was before the migration: its folder of migrations stops short of it.
    older = await mkdtemp(path.join(os.tmpdir(), "wc-migrations-"));
    for (const name of (await readdir(MIGRATIONS_DIR)).sort()) {
      if (name.endsWith(MIGRATION)) break;
      await cp(path.join(MIGRATIONS_DIR, name), path.join(older, name), { recursive: true });
    }
    database = await createTestDatabase(kind, { migrationsDir: older });
  }, 120_000);

  afterAll(async () => {
    await database?.close();
    if (older) await rm(older, { recursive: true, force: true });
  });

  it("moves each onto its record at the same id, so it is shown once, with the same text", async () => {
    const actor: Actor = await signUpActor("old");
    await createApp({ actor, input: { name: "legacy" } });
    const appId = (await database.db.app.findFirstOrThrow({ where: { tenantId: actor.tenantId, name: "legacy" } })).id;
    const [plain, scheduled, bare] = [randomUUID(), randomUUID(), randomUUID()];
    const q = (sql: string) => database.db.$executeRawUnsafe(sql);
    for (const [id, path, ms] of [[plain, "/a", 1.25], [scheduled, "/tick", 0.15], [bare, "/b", 3]] as const) {
      await q(`INSERT INTO "RequestRecord" (id, "tenantId", "appId", time, method, path, status, "durationMs")
               VALUES ('${id}', '${actor.tenantId}', '${appId}', now(), 'GET', '${path}', 200, ${ms})`);
    }
    const line = (requestId: string, level: string, message: string) =>
      q(`INSERT INTO "LogLine" ("tenantId", "appId", "requestId", time, level, message)
         VALUES ('${actor.tenantId}', '${appId}', '${requestId}', now(), '${level}', '${message}')`);
    await line(plain, "request", "GET /a 200 1.3 ms");
    await line(plain, "stderr", "from a");
    await line(scheduled, "request", "[scheduled 2026-12-01T00:00:00.000Z] GET /tick 200 0.1 ms");
    await line(bare, "stderr", "a record whose access line was never stored");
    // What the log read before: every stored line, newest first.
    const before = await database.db.logLine.findMany({ where: { appId }, orderBy: { id: "desc" }, select: { id: true, requestId: true, level: true, message: true } });

    // This migration first, then any that came after it.
    expect((await migrate({ databaseUrl: database.url })).applied[0]).toMatch(new RegExp(`${MIGRATION}$`));
    expect(await database.db.logLine.count({ where: { level: "request" } })).toBe(0);
    expect(await database.db.requestRecord.findUniqueOrThrow({ where: { id: scheduled } })).toMatchObject({ scheduledAt: "2026-12-01T00:00:00.000Z" });
    const after = await list();
    expect(after.map((l) => [l.id, l.requestId, l.level, l.message])).toEqual(before.map((l) => [l.id.toString(), l.requestId, l.level, l.message]));
    expect(after.map((l) => l.message)).toEqual([
      "a record whose access line was never stored",
      "[scheduled 2026-12-01T00:00:00.000Z] GET /tick 200 0.1 ms",
      "from a",
      "GET /a 200 1.3 ms",
    ]);

    async function list() {
      const { logs } = await findLogs({ actor, appName: "legacy", query: parseLogQuery(new URLSearchParams()) });
      return logs;
    }
  });
});
