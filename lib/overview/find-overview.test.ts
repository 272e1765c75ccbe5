// The overview service on both databases with known data: the last 24 hours' requests, errors and
// p99 recomputed here, the latest deploys across apps, the apps that met a limit, the month's
// metered requests, and nothing of another tenant or from before the window.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "@/lib/testing/test-database";
import { findOverview } from "./find-overview";

/** Linear interpolation between closest ranks: what percentile_cont computes. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const HOUR = 3_600_000;

describe.each<DatabaseKind>(["postgres", "embedded"])("overview on %s", (kind) => {
  let database: TestDatabase;
  let tenantId: string;
  let otherTenantId: string;
  const now = new Date("2026-03-10T12:30:00.000Z");
  const inWindow: { status: number; durationMs: number }[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const d = database.db;
    tenantId = (await d.tenant.create({ data: { name: `o-${kind}` } })).id;
    otherTenantId = (await d.tenant.create({ data: { name: `o2-${kind}` } })).id;
    const app = async (t: string, name: string) => (await d.app.create({ data: { tenantId: t, name } })).id;
    const version = async (t: string, appId: string, v: string) =>
      (await d.version.create({ data: { tenantId: t, appId, version: v, moduleSha256: "x", moduleSize: 1, manifest: {}, manifestSha256: "x", filesSha256: "x", datastoresSha256: "x" } })).id;
    const api = await app(tenantId, "api");
    const web = await app(tenantId, "web");
    const quiet = await app(tenantId, "quiet");
    const foreign = await app(otherTenantId, "api");
    const apiV = [await version(tenantId, api, "1.0.0"), await version(tenantId, api, "1.1.0")];
    const webV = await version(tenantId, web, "0.1.0");
    const foreignV = await version(otherTenantId, foreign, "9.9.9");

    // Six deploys, one an hour: api 1.0.0, web 0.1.0, api 1.1.0, api rollback to 1.0.0, web 0.1.0 on v/0.1.0, api 1.1.0.
    const deploys: [string, string, string, string][] = [
      [api, apiV[0]!, "", "deploy"],
      [web, webV, "", "deploy"],
      [api, apiV[1]!, "", "deploy"],
      [api, apiV[0]!, "", "rollback"],
      [web, webV, "v/0.1.0", "deploy"],
      [api, apiV[1]!, "", "deploy"],
    ];
    const ids: string[] = [];
    for (const [i, [appId, versionId, route, k]] of deploys.entries()) {
      const row = await d.deployment.create({ data: { tenantId, appId, versionId, route, kind: k, createdAt: new Date(now.getTime() - (6 - i) * HOUR) } });
      ids.push(row.id);
    }
    await d.liveRoute.createMany({
      data: [
        { tenantId, appId: api, route: "", versionId: apiV[1]!, deploymentId: ids[5]! },
        { tenantId, appId: web, route: "", versionId: webV, deploymentId: ids[1]! },
        { tenantId, appId: web, route: "v/0.1.0", versionId: webV, deploymentId: ids[4]! },
      ],
    });
    await d.deployment.create({ data: { tenantId: otherTenantId, appId: foreign, versionId: foreignV, kind: "deploy", createdAt: now } });

    // Requests: 300 in the last 24 hours across api and web (some 4xx/5xx, some over a limit),
    // and ones that must not count: from 25 hours ago, and another tenant's.
    let seed = 11;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const rec = (t: string, appId: string | null, time: Date, status: number, durationMs: number, errorCode: string | null = null) => ({
      id: randomUUID(), tenantId: t, appId, time, route: "/", method: "GET", path: "/", status, durationMs, errorCode,
    });
    const records = [];
    for (let i = 0; i < 300; i++) {
      const r = rand();
      const status = r < 0.08 ? 500 : r < 0.2 ? 404 : 200;
      const durationMs = Math.round(rand() * 8000) / 10;
      records.push(rec(tenantId, i % 2 ? api : web, new Date(now.getTime() - Math.floor(rand() * 23.9 * HOUR)), status, durationMs));
      inWindow.push({ status, durationMs });
    }
    const limited = [
      rec(tenantId, api, new Date(now.getTime() - 2 * HOUR), 504, 30_000, "deadline-exceeded"),
      rec(tenantId, api, new Date(now.getTime() - 1 * HOUR), 504, 30_000, "deadline-exceeded"),
      rec(tenantId, api, new Date(now.getTime() - 3 * HOUR), 500, 12, "out-of-memory"),
      rec(tenantId, web, new Date(now.getTime() - 5 * HOUR), 413, 1, "request-too-large"),
      // A guest's own failure is no limit.
      rec(tenantId, web, new Date(now.getTime() - 5 * HOUR), 500, 3, "guest-trap"),
    ];
    records.push(...limited);
    for (const l of limited) inWindow.push({ status: l.status, durationMs: l.durationMs });
    records.push(
      rec(tenantId, quiet, new Date(now.getTime() - 25 * HOUR), 504, 30_000, "deadline-exceeded"),
      rec(otherTenantId, foreign, new Date(now.getTime() - HOUR), 413, 1, "request-too-large"),
      rec(otherTenantId, foreign, new Date(now.getTime() - HOUR), 200, 99_999),
    );
    await d.requestRecord.createMany({ data: records });

    await d.usageDaily.createMany({
      data: [
        { tenantId, appId: api, day: new Date("2026-03-01"), requests: 1000n },
        { tenantId, appId: web, day: new Date("2026-03-10"), requests: 234n },
        { tenantId, appId: api, day: new Date("2026-02-28"), requests: 5000n },
        { tenantId: otherTenantId, appId: foreign, day: new Date("2026-03-05"), requests: 777n },
      ],
    });
  }, 60_000);
  afterAll(() => database?.close());

  it("sums the last 24 hours of every app: requests, errors and the p99 latency", async () => {
    const o = await findOverview({ actor: { tenantId }, now });
    expect(o.from).toBe("2026-03-09T12:30:00.000Z");
    expect(o.to).toBe(now.toISOString());
    const errors4xx = inWindow.filter((r) => r.status >= 400 && r.status < 500).length;
    const errors5xx = inWindow.filter((r) => r.status >= 500).length;
    expect(o.traffic).toMatchObject({ requests: 305, errors4xx, errors5xx, errors: errors4xx + errors5xx });
    expect(o.traffic.errorRate).toBeCloseTo(((errors4xx + errors5xx) / 305) * 100, 2);
    expect(o.traffic.p99).toBeCloseTo(percentile(inWindow.map((r) => r.durationMs), 0.99), 2);
  });

  it("lists the five latest deploys across apps, newest first, marking the ones still live", async () => {
    const o = await findOverview({ actor: { tenantId }, now });
    expect(o.recentDeploys.map((d) => [d.app, d.version, d.route, d.kind, d.active])).toEqual([
      ["api", "1.1.0", "", "deploy", true],
      ["web", "0.1.0", "v/0.1.0", "deploy", true],
      ["api", "1.0.0", "", "rollback", false],
      ["api", "1.1.0", "", "deploy", false],
      ["web", "0.1.0", "", "deploy", true],
    ]);
    expect(o.recentDeploys[0]!.createdAt).toBe(new Date(now.getTime() - HOUR).toISOString());
  });

  it("names the apps that met a limit in the window, with how often and when last", async () => {
    const o = await findOverview({ actor: { tenantId }, now });
    expect(o.overLimits).toEqual([
      { app: "api", limit: "deadline-exceeded", meaning: expect.stringMatching(/time limit/), count: 2, lastAt: new Date(now.getTime() - HOUR).toISOString() },
      { app: "api", limit: "out-of-memory", meaning: expect.stringMatching(/memory limit/), count: 1, lastAt: new Date(now.getTime() - 3 * HOUR).toISOString() },
      { app: "web", limit: "request-too-large", meaning: expect.stringMatching(/size limit/), count: 1, lastAt: new Date(now.getTime() - 5 * HOUR).toISOString() },
    ]);
  });

  it("gives the month's metered requests and its projection", async () => {
    const o = await findOverview({ actor: { tenantId }, now });
    expect(o.month).toEqual({ month: "2026-03", requests: 1234, projectedRequests: Math.round((1234 * 31) / 10) });
  });

  it("shows a tenant without traffic or deploys as empty, not as another tenant's", async () => {
    const fresh = (await database.db.tenant.create({ data: { name: `o3-${kind}` } })).id;
    const o = await findOverview({ actor: { tenantId: fresh }, now });
    expect(o.traffic).toMatchObject({ requests: 0, errors: 0, errorRate: 0, p99: null });
    expect(o.recentDeploys).toEqual([]);
    expect(o.overLimits).toEqual([]);
    expect(o.month.requests).toBe(0);
  });
});
