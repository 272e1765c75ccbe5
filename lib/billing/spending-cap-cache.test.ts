// The gateway's month-to-date cache against a real database: who is refused, that figures are
// re-read at most every maxAgeMs (and at once after clear()), that a new month starts from zero,
// and that alert-only caps never refuse.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { DEFAULT_PRICE_PLAN, type PricePlan } from "./price-plan";
import { createSpendingCapCache } from "./spending-cap-cache";

const PLAN: PricePlan = { ...DEFAULT_PRICE_PLAN, currency: "EUR", free: { requests: 0, gbSeconds: 0, egressGB: 0, kvOps: 0 }, unit: { ...DEFAULT_PRICE_PLAN.unit, perMillionRequests: 1_000_000 } };
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase("embedded");
}, 60_000);
afterAll(() => database?.close());

it("refuses a tenant past its hard cap, re-reads at most every maxAgeMs, forgets on clear and at the month's end", async () => {
  const tenant = await database.db.tenant.create({ data: { name: "capped", spendingCap: 3, spendingCapMode: "hard" } });
  const app = await database.db.app.create({ data: { tenantId: tenant.id, name: "a" } });
  let now = new Date("2026-05-31T23:59:00Z");
  const cache = createSpendingCapCache({ db: database.db, plan: PLAN, maxAgeMs: 60_000, now: () => now });
  const day = new Date("2026-05-31T00:00:00Z");

  // 1 € a request: 2 requests are under the cap of 3.
  await database.db.usageDaily.create({ data: { tenantId: tenant.id, appId: app.id, day, requests: 2n } });
  expect(await cache.check(tenant.id)).toBeNull();
  await database.db.usageDaily.update({ where: { tenantId_appId_day: { tenantId: tenant.id, appId: app.id, day } }, data: { requests: 3n } });
  // Still the cached figures (read less than maxAgeMs ago)…
  expect(await cache.check(tenant.id)).toBeNull();
  // …until the cache is dropped (a cap change bumps the routing epoch).
  cache.clear();
  expect(await cache.check(tenant.id)).toEqual({ tenant: "capped", cap: 3, spent: 3, currency: "EUR", month: "2026-05", resetsAt: "2026-06-01T00:00:00.000Z" });

  // A new month: serving resumes without waiting for a refresh.
  now = new Date("2026-06-01T00:00:01Z");
  expect(await cache.check(tenant.id)).toBeNull();
  cache.clear();
  expect(await cache.check(tenant.id)).toBeNull();
});

it("never refuses without a cap, with an alert-only cap, or an unknown tenant; a failing database serves", async () => {
  const now = () => new Date("2026-05-15T12:00:00Z");
  const free = await database.db.tenant.create({ data: { name: "uncapped" } });
  const alert = await database.db.tenant.create({ data: { name: "alerted", spendingCap: 0, spendingCapMode: "alert" } });
  const zero = await database.db.tenant.create({ data: { name: "zero", spendingCap: 0, spendingCapMode: "hard" } });
  for (const t of [free, alert, zero]) {
    const app = await database.db.app.create({ data: { tenantId: t.id, name: "a" } });
    await database.db.usageDaily.create({ data: { tenantId: t.id, appId: app.id, day: new Date("2026-05-02T00:00:00Z"), requests: 10n } });
  }
  const cache = createSpendingCapCache({ db: database.db, plan: PLAN, now });
  expect(await cache.check(free.id)).toBeNull();
  expect(await cache.check(alert.id)).toBeNull();
  expect(await cache.check("00000000-0000-0000-0000-000000000000")).toBeNull();
  // A cap of 0 in hard mode: "free tier only", refused once anything costs money.
  expect(await cache.check(zero.id)).toMatchObject({ tenant: "zero", cap: 0, spent: 10 });

  const broken = createSpendingCapCache({ db: { tenant: { findUnique: () => Promise.reject(new Error("db down")) } } as never, plan: PLAN, now });
  expect(await broken.check(zero.id)).toBeNull();
});
