// The metrics service on both databases with known request records: bucket counts, 4xx/5xx,
// status mix, routes and latency percentiles recomputed here independently (linear interpolation
// between closest ranks, the definition percentile_cont implements).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "@/lib/testing/test-database";
import { findAppMetrics } from "./find-app-metrics";

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

interface Rec {
  time: Date;
  status: number;
  durationMs: number;
  route: string;
  versionId: string;
}

describe.each<DatabaseKind>(["postgres", "embedded"])("app metrics on %s", (kind) => {
  let database: TestDatabase;
  let tenantId: string;
  let appId: string;
  const versionIds: string[] = [];
  const now = new Date("2026-03-10T12:30:20.000Z");
  const records: Rec[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const tenant = await database.db.tenant.create({ data: { name: `m-${kind}` } });
    tenantId = tenant.id;
    const app = await database.db.app.create({ data: { tenantId, name: "api" } });
    appId = app.id;
    for (const version of ["1.0.0", "1.1.0"]) {
      const v = await database.db.version.create({
        data: { tenantId, appId, version, moduleSha256: "x", moduleSize: 1, manifest: {}, manifestSha256: "x", filesSha256: "x", datastoresSha256: "x" },
      });
      versionIds.push(v.id);
    }
    // A deterministic spread: minutes 0..89 before now, mixed statuses, routes and durations.
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 400; i++) {
      const ageMs = Math.floor(rand() * 90 * 60_000);
      const r = rand();
      records.push({
        time: new Date(now.getTime() - ageMs),
        status: r < 0.1 ? 500 : r < 0.15 ? 503 : r < 0.3 ? 404 : r < 0.35 ? 302 : 200,
        durationMs: Math.round(rand() * 5000) / 10,
        route: i % 3 === 0 ? "/api/..." : "/",
        versionId: versionIds[i % 2]!,
      });
    }
    // Another app's and a too-old record: never counted.
    const other = await database.db.app.create({ data: { tenantId, name: "other" } });
    await database.db.requestRecord.createMany({
      data: [
        ...records.map((r) => ({ id: randomUUID(), tenantId, appId, method: "GET", path: r.route, ...r })),
        { id: randomUUID(), tenantId, appId: other.id, time: now, route: "/", method: "GET", path: "/", status: 500, durationMs: 1 },
        { id: randomUUID(), tenantId, appId, time: new Date(now.getTime() - 40 * 86_400_000), route: "/", method: "GET", path: "/", status: 500, durationMs: 1 },
      ],
    });
  }, 60_000);
  afterAll(() => database?.close());

  it("aggregates the last hour in 1-minute buckets, with percentiles, status mix and routes", async () => {
    const m = await findAppMetrics({ actor: { tenantId }, appName: "api", query: { window: "1h" }, now });
    const from = new Date("2026-03-10T11:31:00.000Z");
    expect(m.from).toBe(from.toISOString());
    expect(m.series).toHaveLength(60);
    const inWindow = records.filter((r) => r.time >= from);
    expect(m.totals.requests).toBe(inWindow.length);
    expect(m.totals.errors5xx).toBe(inWindow.filter((r) => r.status >= 500).length);
    expect(m.totals.errors4xx).toBe(inWindow.filter((r) => r.status >= 400 && r.status < 500).length);
    for (const p of [0.5, 0.95, 0.99] as const) {
      const key = p === 0.5 ? "p50" : p === 0.95 ? "p95" : "p99";
      expect(m.totals[key]).toBeCloseTo(percentile(inWindow.map((r) => r.durationMs), p)!, 2);
    }
    // Every bucket: its requests and p95.
    for (const b of m.series) {
      const start = new Date(b.time).getTime();
      const inBucket = inWindow.filter((r) => r.time.getTime() >= start && r.time.getTime() < start + 60_000);
      expect({ t: b.time, n: b.requests }).toEqual({ t: b.time, n: inBucket.length });
      if (inBucket.length) expect(b.p95).toBeCloseTo(percentile(inBucket.map((r) => r.durationMs), 0.95)!, 2);
      else expect(b.p95).toBeNull();
      expect(b.ratePerMinute).toBe(inBucket.length);
    }
    const mix = new Map<number, number>();
    for (const r of inWindow) mix.set(r.status, (mix.get(r.status) ?? 0) + 1);
    expect(m.statuses).toEqual([...mix].sort(([a], [b]) => a - b).map(([status, count]) => ({ status, count })));
    const api = inWindow.filter((r) => r.route === "/api/...");
    const apiRow = m.routes.find((r) => r.route === "/api/...")!;
    expect(apiRow.requests).toBe(api.length);
    expect(apiRow.errorRate5xx).toBeCloseTo((api.filter((r) => r.status >= 500).length / api.length) * 100, 2);
    expect(apiRow.p99).toBeCloseTo(percentile(api.map((r) => r.durationMs), 0.99)!, 2);
  });

  it("limits to one version, and widens to 24 h / 30 d buckets", async () => {
    const v = await findAppMetrics({ actor: { tenantId }, appName: "api", query: { window: "24h", version: "1.1.0" }, now });
    const mine = records.filter((r) => r.versionId === versionIds[1]);
    expect(v.series).toHaveLength(96);
    expect(v.totals.requests).toBe(mine.length);
    expect(v.totals.p50).toBeCloseTo(percentile(mine.map((r) => r.durationMs), 0.5)!, 2);
    expect(v.series.reduce((s, b) => s + b.requests, 0)).toBe(mine.length);
    const month = await findAppMetrics({ actor: { tenantId }, appName: "api", query: { window: "30d" }, now });
    expect(month.series).toHaveLength(30);
    expect(month.series.at(-1)!.requests).toBe(records.filter((r) => r.time >= new Date("2026-03-10T00:00:00Z")).length);
    expect(month.totals.requests).toBe(records.length);
  });

  it("is scoped to the tenant and names bad input", async () => {
    await expect(findAppMetrics({ actor: { tenantId: randomUUID() }, appName: "api", query: {}, now })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(findAppMetrics({ actor: { tenantId }, appName: "api", query: { version: "9.9.9" }, now })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(findAppMetrics({ actor: { tenantId }, appName: "api", query: { window: "7d" }, now })).rejects.toThrow(/window: use 1h, 24h or 30d/);
  });
});
