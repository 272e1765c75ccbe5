// Invoices against real databases: usage inserted for past months (UsageDaily rows), invoices
// created on first need, their figures recomputed here from the plan and the rows, immutable
// across PRICE_PLAN changes, clamped to a hard cap in force at the month's end, safe to create
// concurrently, and scoped to their tenant.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "@/lib/testing/test-database";
import { createMissingInvoices } from "./create-invoices";
import { findInvoice, findInvoices, invoiceToCsv } from "./find-invoices";

const PLAN = { name: "Test plan", currency: "EUR", monthlyFee: 0, free: { requests: 1000, gbSeconds: 10, egressGB: 1, kvOps: 100 }, unit: { perMillionRequests: 2, perGbSecond: 0.001, perEgressGB: 0.1, perMillionKvOps: 3 } };
const GB = 1024 ** 3;
const now = new Date("2026-03-10T08:00:00Z");

interface UsageRow {
  day: string;
  requests: number;
  gbSeconds: number;
  cpuMs: number;
  egressBytes: number;
  kvOps: number;
}

/** The invoice total from the rows, computed independently of lib/billing. */
function expectedTotal(rows: UsageRow[], plan: typeof PLAN): number {
  const sum = (k: keyof Omit<UsageRow, "day">) => rows.reduce((s, r) => s + r[k], 0);
  return (
    plan.monthlyFee +
    (Math.max(0, sum("requests") - plan.free.requests) / 1e6) * plan.unit.perMillionRequests +
    Math.max(0, sum("gbSeconds") - plan.free.gbSeconds) * plan.unit.perGbSecond +
    Math.max(0, sum("egressBytes") / GB - plan.free.egressGB) * plan.unit.perEgressGB +
    (Math.max(0, sum("kvOps") - plan.free.kvOps) / 1e6) * plan.unit.perMillionKvOps
  );
}

describe.each<DatabaseKind>(["postgres", "embedded"])("invoices on %s", (kind) => {
  let database: TestDatabase;
  const saved = process.env.PRICE_PLAN;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
  }, 60_000);
  afterAll(() => database?.close());
  afterEach(() => {
    if (saved === undefined) delete process.env.PRICE_PLAN;
    else process.env.PRICE_PLAN = saved;
  });

  async function tenantWithUsage(rows: (UsageRow & { app: "a" | "b" })[]) {
    const tenant = await database.db.tenant.create({ data: { name: `t-${randomUUID().slice(0, 8)}`, createdAt: new Date("2025-12-15T10:00:00Z") } });
    const apps = { a: await database.db.app.create({ data: { tenantId: tenant.id, name: "a" } }), b: await database.db.app.create({ data: { tenantId: tenant.id, name: "b" } }) };
    await database.db.usageDaily.createMany({
      data: rows.map((r) => ({
        tenantId: tenant.id,
        appId: apps[r.app].id,
        day: new Date(`${r.day}T00:00:00Z`),
        requests: BigInt(r.requests),
        gbSeconds: r.gbSeconds,
        cpuMs: r.cpuMs,
        egressBytes: BigInt(r.egressBytes),
        kvOps: BigInt(r.kvOps),
      })),
    });
    return tenant;
  }

  const january = [
    { app: "a" as const, day: "2026-01-03", requests: 400_000, gbSeconds: 1234.5, cpuMs: 9000, egressBytes: 3 * GB, kvOps: 50_000 },
    { app: "b" as const, day: "2026-01-03", requests: 150_000, gbSeconds: 20.25, cpuMs: 100, egressBytes: GB / 2, kvOps: 0 },
    { app: "a" as const, day: "2026-01-31", requests: 250_001, gbSeconds: 99.125, cpuMs: 10, egressBytes: 12345, kvOps: 7 },
  ];
  const february = [{ app: "a" as const, day: "2026-02-14", requests: 2_000_000, gbSeconds: 50_000, cpuMs: 1, egressBytes: 0, kvOps: 0 }];
  const march = [{ app: "b" as const, day: "2026-03-02", requests: 5, gbSeconds: 1, cpuMs: 1, egressBytes: 1, kvOps: 1 }];

  it("creates one invoice per closed month with usage; its figures match a recomputation; later plans do not change it", async () => {
    process.env.PRICE_PLAN = JSON.stringify(PLAN);
    const tenant = await tenantWithUsage([...january, ...february, ...march]);
    const actor = { tenantId: tenant.id };

    const list = await findInvoices({ actor, now });
    expect(list.map((i) => i.month)).toEqual(["2026-02", "2026-01"]);

    const jan = await findInvoice({ actor, month: "2026-01", now });
    expect(jan.currency).toBe("EUR");
    expect(jan.total).toBeCloseTo(expectedTotal(january, PLAN), 6);
    expect(jan.lines.reduce((s, l) => s + l.amount, 0)).toBeCloseTo(jan.total, 6);
    expect(jan.lines.find((l) => l.item === "Requests")).toMatchObject({ quantity: 800_001, billable: 799_001 });
    expect(jan.usage.totals.requests).toBe(800_001);
    expect(jan.usage.apps.map((a) => [a.app, a.requests])).toEqual([["a", 650_001], ["b", 150_000]]);
    expect(jan.plan).toMatchObject({ ...PLAN, spendingCap: null });

    const csv = invoiceToCsv(jan).trim().split("\r\n");
    expect(csv[0]).toBe("item,quantity,unit,unit price,amount (EUR)");
    expect(csv).toHaveLength(jan.lines.length + 2);
    expect(csv.at(-1)).toBe(`Total,,,,${Math.round(jan.total * 1e6) / 1e6}`);
    expect(csv[1]).toMatch(/^Requests,800001,requests,€2\.00 per 1M requests,1\.598002$/);

    // The operator changes the plan: stored invoices stay as they were, to the byte.
    process.env.PRICE_PLAN = JSON.stringify({ ...PLAN, monthlyFee: 0, unit: { ...PLAN.unit, perMillionRequests: 100 } });
    expect(await findInvoice({ actor, month: "2026-01", now })).toEqual(jan);
    expect(await createMissingInvoices({ actor, now })).toBe(0);
    expect((await findInvoices({ actor, now })).map((i) => [i.month, i.total])).toEqual(list.map((i) => [i.month, i.total]));

    // The open month has no invoice yet, and nobody else's tenant sees these.
    await expect(findInvoice({ actor, month: "2026-03", now })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const other = await tenantWithUsage([]);
    await expect(findInvoice({ actor: { tenantId: other.id }, month: "2026-01", now })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await findInvoices({ actor: { tenantId: other.id }, now })).toEqual([]);
  });

  it("never bills past the hard cap in force at the month's end, and is created once under concurrency", async () => {
    process.env.PRICE_PLAN = JSON.stringify(PLAN);
    const tenant = await tenantWithUsage([...january, ...february]);
    const actor = { tenantId: tenant.id };
    // Cap changes read from the audit log: a hard cap of 20 set in January, an alert-only cap set after February ended.
    await database.db.auditEvent.createMany({
      data: [
        { tenantId: tenant.id, actor: "test", action: "spending_cap.changed", time: new Date("2026-01-20T00:00:00Z"), detail: { cap: 20, mode: "hard" } },
        { tenantId: tenant.id, actor: "test", action: "spending_cap.changed", time: new Date("2026-03-02T00:00:00Z"), detail: { cap: 1, mode: "alert" } },
      ],
    });
    const created = await Promise.all([createMissingInvoices({ actor, now }), createMissingInvoices({ actor, now }), createMissingInvoices({ actor, now })]);
    expect(created.reduce((a, b) => a + b, 0)).toBe(2);
    expect(await database.db.invoice.count({ where: { tenantId: tenant.id } })).toBe(2);

    const uncapped = expectedTotal(february, PLAN);
    expect(uncapped).toBeGreaterThan(20);
    const feb = await findInvoice({ actor, month: "2026-02", now });
    expect(feb.total).toBe(20);
    expect(feb.plan.spendingCap).toEqual({ cap: 20, mode: "hard" });
    const clamp = feb.lines.find((l) => l.item === "Spending cap (hard)")!;
    expect(clamp.amount).toBeCloseTo(20 - uncapped, 6);
    expect(feb.lines.reduce((s, l) => s + l.amount, 0)).toBeCloseTo(20, 6);
    // January stayed under its cap: no clamp line.
    const jan = await findInvoice({ actor, month: "2026-01", now });
    expect(jan.total).toBeCloseTo(expectedTotal(january, PLAN), 6);
    expect(jan.lines.some((l) => l.item === "Spending cap (hard)")).toBe(false);
  });
});
