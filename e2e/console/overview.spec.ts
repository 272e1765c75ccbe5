// The overview (the dashboard's landing page): a new tenant's empty state, then after a deploy and
// traffic made with plain HTTP, the last 24 hours' requests, errors and p99, the deploy at the top
// of the recent deploys, and the app that hit its request size limit; on a phone too.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { expectNoSidewaysScroll } from "../support/layout";
import { fetchApp } from "../../lib/testing/app-fetch";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/wasm");

test("the overview shows the last 24 hours' traffic, recent deploys and apps over their limits", async ({ page, baseURL }) => {
  await signUpViaApi(page);
  await page.goto("/dashboard");
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  await expect(page.getByTestId("overview-requests")).toHaveText("0");
  await expect(page.getByTestId("overview-p99")).toHaveText("—");
  await expect(page.getByText("Nothing deployed yet.")).toBeVisible();
  await expect(page.getByText("No app hit a limit in the last 24 hours.")).toBeVisible();

  // An app whose requests may carry at most 16 bytes, published and deployed.
  const headers = { origin: baseURL! };
  expect((await page.request.post("/api/v1/apps", { data: { name: "tight" }, headers })).status()).toBe(201);
  const published = await page.request.post("/api/v1/apps/tight/versions", {
    headers,
    multipart: {
      version: "1.0.0",
      module: { name: "hello-wat.wasm", mimeType: "application/wasm", buffer: await readFile(path.join(FIXTURES, "hello-wat.wasm")) },
      manifest: "limits:\n  maxRequestBytes: 16\n",
    },
  });
  expect(published.status()).toBe(201);
  expect((await page.request.post("/api/v1/apps/tight/deployments", { data: { version: "1.0.0" }, headers })).status()).toBe(201);
  const { app } = (await (await page.request.get("/api/v1/apps/tight")).json()) as { app: { gatewayUrl: string } };
  await expect(async () => expect((await fetchApp(app.gatewayUrl)).status).toBe(200)).toPass({ timeout: 15_000 });

  // 1 (readiness) + 5 served, 3 bodies over the limit (413).
  for (let i = 0; i < 5; i++) expect((await fetchApp(app.gatewayUrl)).status).toBe(200);
  for (let i = 0; i < 3; i++) expect((await fetchApp(app.gatewayUrl, { method: "POST", body: "x".repeat(100) })).status).toBe(413);

  // The overview's figures are the tenant's: here, its one app's, as its metrics API counts them
  // (the readiness poll above may have sent more than one request).
  const metrics = async () => ((await (await page.request.get("/api/v1/apps/tight/metrics?window=24h")).json()) as { totals: { requests: number; errors4xx: number; errors5xx: number } }).totals;
  await expect.poll(async () => (await metrics()).requests, { timeout: 15_000 }).toBeGreaterThanOrEqual(9);
  const totals = await metrics();
  expect(totals.errors4xx + totals.errors5xx).toBe(3);
  await page.reload();
  await expect(page.getByTestId("overview-requests")).toHaveText(String(totals.requests));
  await expect(page.getByTestId("overview-errors")).toContainText("3");
  await expect(page.getByTestId("overview-errors")).toContainText(`${Math.round((3 / totals.requests) * 100_000) / 1000}%`);
  await expect(page.getByTestId("overview-p99")).toHaveText(/^\d+(\.\d+)? ms$/);

  const deploys = page.getByRole("table", { name: "Recent deploys" });
  await expect(deploys.getByRole("row").nth(1)).toContainText("tight");
  await expect(deploys.getByRole("row").nth(1)).toContainText("1.0.0");
  await expect(deploys.getByRole("row").nth(1)).toContainText("live");
  await expect(deploys.getByRole("row").nth(1)).toContainText("deployed");

  const limits = page.getByRole("list", { name: "Limits hit in the last 24 hours" });
  await expect(limits.getByRole("listitem")).toHaveCount(1);
  await expect(limits.getByRole("listitem")).toContainText("tight");
  await expect(limits.getByRole("listitem")).toContainText("3 requests over its size limit were refused (413)");
  await page.screenshot({ path: test.info().outputPath("overview-1440.png"), fullPage: true });

  // The app's name leads to its requests in the logs.
  await limits.getByRole("link", { name: "tight" }).click();
  await expect(page).toHaveURL(/\/dashboard\/logs\?app=tight/);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/dashboard");
  await expect(page.getByTestId("overview-requests")).toHaveText(String(totals.requests));
  await expect(page.getByTestId("overview-requests")).toBeInViewport();
  await expectNoSidewaysScroll(page, "overview at 390 px");
  await page.screenshot({ path: test.info().outputPath("overview-390.png"), fullPage: true });
});
