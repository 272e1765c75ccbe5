// Spending cap and invoices, as a user sees them. This story runs its own platform (on a fresh
// PostgreSQL database) with a price plan where every request costs $0.10, so a few plain HTTP
// requests take the month past 80% and then 100% of a $1 cap; a past month's usage is seeded
// into the database to get an invoice.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { createTestDatabase, type TestDatabase } from "../../lib/testing/test-database";
import { signUpViaApi } from "../support/accounts";
import { startPlatform, type Platform } from "../support/platform";
import { fetchApp } from "../../lib/testing/app-fetch";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/wasm");
const PLAN = { name: "Per request", free: { requests: 0, gbSeconds: 0, egressGB: 0, kvOps: 0 }, unit: { perMillionRequests: 100_000, perGbSecond: 0, perEgressGB: 0, perMillionKvOps: 0 } };

let database: TestDatabase;
let platform: Platform;
let dataDir: string;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  database = await createTestDatabase("postgres");
  dataDir = await mkdtemp(path.join(os.tmpdir(), "wc-e2e-billing-"));
  platform = await startPlatform({ dataDir, databaseUrl: database.url, env: { PRICE_PLAN: JSON.stringify(PLAN) } });
});

test.afterAll(async () => {
  await platform?.stop();
  await database?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function deployApp(page: Page, name: string): Promise<string> {
  const headers = { origin: platform.consoleUrl };
  expect((await page.request.post("/api/v1/apps", { data: { name }, headers })).status()).toBe(201);
  const published = await page.request.post(`/api/v1/apps/${name}/versions`, {
    headers,
    multipart: { version: "1.0.0", module: { name: "hello-wat.wasm", mimeType: "application/wasm", buffer: await readFile(path.join(FIXTURES, "hello-wat.wasm")) } },
  });
  expect(published.status()).toBe(201);
  expect((await page.request.post(`/api/v1/apps/${name}/deployments`, { data: { version: "1.0.0" }, headers })).status()).toBe(201);
  const { app } = (await (await page.request.get(`/api/v1/apps/${name}`)).json()) as { app: { gatewayUrl: string } };
  await expect(async () => expect((await fetchApp(app.gatewayUrl)).status).toBe(200)).toPass({ timeout: 15_000 });
  return app.gatewayUrl;
}

test("a cap warns at 80%, stops the app at 100% until raised; a past month's invoice is listed, printable and downloadable", async ({ browser }) => {
  test.setTimeout(180_000);
  const context = await browser.newContext({ baseURL: platform.consoleUrl, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const account = await signUpViaApi(page);
  const url = await deployApp(page, "capped");

  // Set a $1 hard cap on the billing page. One request ($0.10) so far: no banner.
  await page.goto("/dashboard/usage");
  const capSection = page.getByRole("region", { name: "Spending cap" });
  await expect(capSection.getByTestId("cap-status")).toContainText("No cap set. Month to date: $0.10");
  await capSection.getByLabel("Monthly cap (USD)").fill("1");
  await expect(capSection.getByLabel("Stop serving (402)")).toBeChecked();
  await capSection.getByRole("button", { name: "Save cap" }).click();
  await expect(capSection.getByRole("status")).toHaveText(/Cap saved/);
  await expect(capSection.getByTestId("cap-status")).toContainText("of $1.00");
  const banner = page.getByRole("alert", { name: "Spending cap" });
  await expect(banner).toHaveCount(0);

  // Eight more requests: $0.90 of $1.00. Every console page warns.
  for (let i = 0; i < 8; i++) expect((await fetchApp(url)).status).toBe(200);
  await page.goto("/dashboard/apps");
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("alert", { name: "Spending cap" })).toContainText("You have used $0.90 of your $1.00 monthly spending cap (90%)", { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(banner).toContainText("At 100% your apps stop serving (402)");
  await page.screenshot({ path: test.info().outputPath("cap-banner-80.png") });

  // Past the cap the gateway answers 402 with a body that says what to do.
  let refused = "";
  await expect(async () => {
    const res = await fetchApp(url);
    refused = await res.text();
    expect(res.status).toBe(402);
  }).toPass({ timeout: 15_000 });
  expect(refused).toContain(`Tenant "${account.tenant}" has reached its monthly spending cap of $1.00`);
  await page.goto("/dashboard/usage");
  await expect(banner).toContainText("Spending cap reached");
  await expect(capSection).toContainText("Apps are paused (402)");
  await page.screenshot({ path: test.info().outputPath("cap-reached.png"), fullPage: true });

  // Raising the cap resumes the app, and the banner goes.
  await capSection.getByLabel("Monthly cap (USD)").fill("50");
  await capSection.getByRole("button", { name: "Save cap" }).click();
  await expect(capSection.getByTestId("cap-status")).toContainText("of $50.00");
  await expect(banner).toHaveCount(0);
  await expect(async () => expect((await fetchApp(url)).status).toBe(200)).toPass({ timeout: 5000 });

  // A past month with usage (seeded) becomes an invoice when the page lists invoices.
  const tenant = await database.db.tenant.findUniqueOrThrow({ where: { name: account.tenant } });
  const app = await database.db.app.findFirstOrThrow({ where: { tenantId: tenant.id, name: "capped" } });
  await database.db.tenant.update({ where: { id: tenant.id }, data: { createdAt: new Date("2025-09-10T00:00:00Z") } });
  await database.db.usageDaily.createMany({
    data: [
      { tenantId: tenant.id, appId: app.id, day: new Date("2025-10-03T00:00:00Z"), requests: 30n, gbSeconds: 1.5, egressBytes: 4096n },
      { tenantId: tenant.id, appId: app.id, day: new Date("2025-10-17T00:00:00Z"), requests: 12n },
    ],
  });
  await page.reload();
  const invoices = page.getByRole("table", { name: "Invoices" });
  const row = invoices.getByRole("row").filter({ hasText: "2025-10" });
  await expect(row).toContainText("$4.20");
  await page.screenshot({ path: test.info().outputPath("billing-page.png"), fullPage: true });

  const download = page.waitForEvent("download");
  await row.getByRole("link", { name: "CSV" }).click();
  const csv = await readFile(await (await download).path(), "utf8");
  expect(csv).toContain(`Requests,42,requests,"$100,000.00 per 1M requests",4.2`);
  expect(csv.trim().split("\r\n").at(-1)).toBe("Total,,,,4.2");

  await row.getByRole("link", { name: "View" }).click();
  await expect(page.getByRole("heading", { name: "Invoice 2025-10" })).toBeVisible();
  await expect(page.getByTestId("invoice-total")).toHaveText("$4.20");
  await expect(page.getByRole("table", { name: "Invoice lines" })).toContainText("Requests");
  await page.screenshot({ path: test.info().outputPath("invoice.png"), fullPage: true });
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await expect(page.getByRole("button", { name: "Print" })).toBeHidden();
  await page.screenshot({ path: test.info().outputPath("invoice-print.png"), fullPage: true });
  await context.close();
});
