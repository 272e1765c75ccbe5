// Spending cap, invoices and metrics through real HTTP: the platform (console + gateway) on a
// fresh PostgreSQL database with a price plan where every request costs 0.10, so a cap is reached
// within a few requests. A hard cap stops the app with 402 (logged, not metered) and lifting it
// resumes it; an alert-only cap keeps serving; another tenant sees none of it.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwoTenants, type TwoTenants } from "@/lib/testing/two-tenants";
import { apiWithToken, publishForm, type TestAccount } from "@/lib/testing/console-client";
import { type Platform } from "@/lib/testing/platform";
import { type TestDatabase } from "@/lib/testing/test-database";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";

const ROOT = path.resolve(import.meta.dirname, "../../../..");
const PLAN = { name: "Per request", free: { requests: 0, gbSeconds: 0, egressGB: 0, kvOps: 0 }, unit: { perMillionRequests: 100_000, perGbSecond: 0, perEgressGB: 0, perMillionKvOps: 0 } };

let database: TestDatabase;
let platform: Platform;
let account: TestAccount;
let bed: TwoTenants;
let alice: ReturnType<typeof apiWithToken>;
let aliceRead: ReturnType<typeof apiWithToken>;
let bob: ReturnType<typeof apiWithToken>;
let url: string;

const json = (method: string, body: unknown) => ({ method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function meteredRequests(): Promise<number> {
  const app = await database.db.app.findFirstOrThrow({ where: { name: "hello", tenant: { name: account.tenant } } });
  const rows = await database.db.usageDaily.findMany({ where: { appId: app.id } });
  return rows.reduce((s, r) => s + Number(r.requests), 0);
}

beforeAll(async () => {
  bed = await startTwoTenants({ name: "billing", env: { PRICE_PLAN: JSON.stringify(PLAN) } });
  ({ database, platform, account, alice, aliceRead, bob } = bed);
  expect((await alice("/api/v1/apps", json("POST", { name: "hello" }))).status).toBe(201);
  const wasm = new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm/hello-wat.wasm")));
  expect((await alice("/api/v1/apps/hello/versions", { method: "POST", body: publishForm("1.0.0", wasm) })).status).toBe(201);
  expect((await alice("/api/v1/apps/hello/deployments", json("POST", { version: "1.0.0" }))).status).toBe(201);
  url = appUrl(platform.gatewayUrl, account.tenant, "hello");
  await until("the deployment", async () => ((await fetchApp(url)).status === 200 ? true : undefined));
}, 240_000);

afterAll(async () => {
  await bed?.stop();
});

describe("spending cap", () => {
  it("a hard cap stops the app with 402 (logged, not billed) and raising it resumes it", async () => {
    expect((await (await alice("/api/v1/billing")).json()).spendingCap).toMatchObject({ cap: null, percent: null, warning: false });
    expect((await aliceRead("/api/v1/billing/cap", json("PUT", { cap: 1, mode: "hard" }))).status).toBe(403);
    expect((await alice("/api/v1/billing/cap", json("PUT", { cap: -1 }))).status).toBe(422);

    const set = await alice("/api/v1/billing/cap", json("PUT", { cap: 1, mode: "hard" }));
    expect(set.status).toBe(200);
    expect((await set.json()).spendingCap).toMatchObject({ cap: 1, mode: "hard", currency: "USD" });
    const audit = await database.db.auditEvent.findFirst({ where: { action: "spending_cap.changed", tenant: { name: account.tenant } } });
    expect(audit?.detail).toMatchObject({ cap: 1, mode: "hard", previousCap: null });

    // $0.10 a request: the gateway refuses once ten have been metered (it sees the figures within ~1 s).
    const refused = await until(
      "a 402",
      async () => {
        const res = await fetchApp(url);
        return res.status === 402 ? res : (await res.arrayBuffer(), undefined);
      },
      30_000,
    );
    const text = await refused.text();
    expect(refused.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(text).toContain(`Tenant "${account.tenant}" has reached its monthly spending cap of $1.00`);
    expect(text).toMatch(/raise or remove the cap .*Usage & billing/);
    const asJson = await fetchApp(url, { headers: { accept: "application/json" } });
    expect(asJson.status).toBe(402);
    expect(await asJson.json()).toMatchObject({ error: { code: "spending-cap-reached" }, spendingCap: { tenant: account.tenant, cap: 1, currency: "USD" } });

    await sleep(600); // what was served before the 402s is written by the log sink (≤ 200 ms batches)
    const status = (await (await alice("/api/v1/billing")).json()).spendingCap;
    expect(status).toMatchObject({ reached: true, blocking: true, warning: true });
    expect(status.percent).toBeGreaterThanOrEqual(100);
    // The month's bill never goes past a hard cap: what was served before the gateways saw it is written off.
    const { bill } = await (await alice("/api/v1/usage")).json();
    expect(bill.total).toBe(1);
    if (status.spent > 1) expect(bill.lines.at(-1)).toMatchObject({ item: "Spending cap (hard)", amount: expect.closeTo(1 - status.spent, 6) });
    expect(bill.lines.reduce((s: number, l: { amount: number }) => s + l.amount, 0)).toBeCloseTo(1, 6);

    // Refused requests are logged but never metered.
    await sleep(600);
    const before = await meteredRequests();
    for (let i = 0; i < 5; i++) expect((await fetchApp(url)).status).toBe(402);
    await sleep(800);
    expect(await meteredRequests()).toBe(before);
    const logged = await database.db.requestRecord.count({ where: { status: 402, errorCode: "spending-cap-reached", path: "/" } });
    expect(logged).toBeGreaterThanOrEqual(6);

    expect((await alice("/api/v1/billing/cap", json("PUT", { cap: 1000, mode: "hard" }))).status).toBe(200);
    await until("serving again", async () => ((await fetchApp(url)).status === 200 ? true : undefined));
  }, 90_000);

  it("an alert-only cap keeps serving past 100%, and removing a cap resumes a stopped app", async () => {
    expect((await alice("/api/v1/billing/cap", json("PUT", { cap: 0.5, mode: "alert" }))).status).toBe(200);
    await sleep(1500);
    for (let i = 0; i < 5; i++) expect((await fetchApp(url)).status).toBe(200);
    expect((await (await alice("/api/v1/billing")).json()).spendingCap).toMatchObject({ mode: "alert", reached: true, blocking: false });

    expect((await alice("/api/v1/billing/cap", json("PUT", { cap: 0.5, mode: "hard" }))).status).toBe(200);
    await until("a 402", async () => ((await fetchApp(url)).status === 402 ? true : undefined));
    expect((await alice("/api/v1/billing/cap", json("PUT", { cap: null }))).status).toBe(200);
    await until("serving again", async () => ((await fetchApp(url)).status === 200 ? true : undefined));
    expect((await (await alice("/api/v1/billing")).json()).spendingCap).toMatchObject({ cap: null, blocking: false });
  }, 60_000);

  it("another tenant's cap and figures are its own", async () => {
    expect((await (await bob("/api/v1/billing")).json()).spendingCap).toMatchObject({ cap: null, spent: 0 });
    expect((await bob("/api/v1/apps/hello/metrics")).status).toBe(404);
  });
});

describe("metrics and invoices over the API", () => {
  it("reports the app's requests by status, as recorded", async () => {
    await sleep(500);
    const res = await alice("/api/v1/apps/hello/metrics?window=1h");
    expect(res.status).toBe(200);
    const m = await res.json();
    const app = await database.db.app.findFirstOrThrow({ where: { name: "hello", tenant: { name: account.tenant } } });
    const records = await database.db.requestRecord.findMany({ where: { appId: app.id }, select: { status: true } });
    expect(m.totals.requests).toBe(records.length);
    expect(m.statuses.find((s: { status: number }) => s.status === 402).count).toBe(records.filter((r) => r.status === 402).length);
    expect(m.routes.map((r: { route: string }) => r.route)).toContain("/...");
    expect((await alice("/api/v1/apps/hello/metrics?window=2h")).status).toBe(422);
    expect((await alice("/api/v1/apps/hello/metrics?version=1.0.0")).status).toBe(200);
  });

  it("lists a past month's invoice and downloads it as CSV; other tenants get 404", async () => {
    const tenant = await database.db.tenant.findUniqueOrThrow({ where: { name: account.tenant } });
    const app = await database.db.app.findFirstOrThrow({ where: { tenantId: tenant.id, name: "hello" } });
    await database.db.tenant.update({ where: { id: tenant.id }, data: { createdAt: new Date("2025-06-01T00:00:00Z") } });
    await database.db.usageDaily.create({ data: { tenantId: tenant.id, appId: app.id, day: new Date("2025-07-04T00:00:00Z"), requests: 12n } });

    const list = await (await aliceRead("/api/v1/billing/invoices")).json();
    expect(list.invoices).toEqual([{ month: "2025-07", currency: "USD", total: 1.2, createdAt: expect.any(String) }]);
    const invoice = (await (await alice("/api/v1/billing/invoices/2025-07")).json()).invoice;
    expect(invoice).toMatchObject({ month: "2025-07", total: 1.2, usage: { totals: { requests: 12 } }, plan: { name: "Per request" } });
    const csv = await alice("/api/v1/billing/invoices/2025-07.csv");
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("content-disposition")).toContain("invoice-2025-07.csv");
    const text = await csv.text();
    expect(text).toContain("Requests,12,requests,");
    expect(text.trim().split("\r\n").at(-1)).toBe("Total,,,,1.2");
    expect(await (await alice("/api/v1/billing/invoices/2025-07?format=csv")).text()).toBe(text);

    expect((await bob("/api/v1/billing/invoices/2025-07")).status).toBe(404);
    expect((await bob("/api/v1/billing/invoices/2025-07.csv")).status).toBe(404);
    expect((await (await bob("/api/v1/billing/invoices")).json()).invoices).toEqual([]);
    expect((await alice("/api/v1/billing/invoices/2025-13")).status).toBe(422);
  });
});
