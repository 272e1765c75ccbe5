// The gateway metrics of an app: requests made with plain HTTP show up in the charts, the totals,
// the status-code mix and the routes table.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { fetchApp } from "../../lib/testing/app-fetch";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/wasm");

test("an app's metrics page shows its requests, error rates, latency and routes", async ({ page }) => {
  await signUpViaApi(page);
  const headers = { origin: new URL(test.info().project.use.baseURL!).origin };
  expect((await page.request.post("/api/v1/apps", { data: { name: "watched" }, headers })).status()).toBe(201);
  const published = await page.request.post("/api/v1/apps/watched/versions", {
    headers,
    multipart: {
      version: "1.0.0",
      module: { name: "hello-wat.wasm", mimeType: "application/wasm", buffer: await readFile(path.join(FIXTURES, "hello-wat.wasm")) },
      manifest: "routes:\n  - path: /\n  - path: /api/...\n",
    },
  });
  expect(published.status()).toBe(201);
  expect((await page.request.post("/api/v1/apps/watched/deployments", { data: { version: "1.0.0" }, headers })).status()).toBe(201);
  const { app } = (await (await page.request.get("/api/v1/apps/watched")).json()) as { app: { gatewayUrl: string } };
  await expect(async () => expect((await fetchApp(app.gatewayUrl)).status).toBe(200)).toPass({ timeout: 15_000 });

  // 1 (readiness) + 9 on "/", 6 on "/api/...", 4 that match no route (404).
  for (let i = 0; i < 9; i++) expect((await fetchApp(app.gatewayUrl)).status).toBe(200);
  for (let i = 0; i < 6; i++) expect((await fetchApp(`${app.gatewayUrl}api/items/${i}`)).status).toBe(200);
  for (let i = 0; i < 4; i++) expect((await fetchApp(`${app.gatewayUrl}nope/${i}`)).status).toBe(404);

  await page.goto("/dashboard/apps/watched");
  await page.getByRole("link", { name: "Metrics →" }).click();
  await expect(page.getByRole("heading", { name: "Metrics" })).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("metrics-requests")).toHaveText("20", { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId("metrics-4xx")).toHaveText("20%");
  await expect(page.getByTestId("metrics-5xx")).toHaveText("0%");
  await expect(page.getByRole("list", { name: "Status codes" })).toContainText("200 · 16");
  await expect(page.getByRole("list", { name: "Status codes" })).toContainText("404 · 4");

  const routes = page.getByRole("table", { name: "Routes" });
  await expect(routes.getByRole("row").filter({ hasText: "/api/..." })).toContainText("6");
  await expect(routes.getByRole("row").filter({ has: page.getByRole("cell", { name: "/", exact: true }) })).toContainText("10");
  for (const chart of ["Request rate (per minute)", "Error rate (%)", "Latency (ms)", "Status codes"]) {
    await expect(page.getByRole("figure", { name: chart }).locator(".recharts-surface").first()).toBeVisible();
  }
  await expect(page.getByRole("figure", { name: "Status codes" }).locator(".recharts-bar-rectangle").first()).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("metrics-1h.png"), fullPage: true });

  // Other windows and one version.
  await page.getByRole("radio", { name: "Last 30 days" }).click();
  await expect(page.getByText(/1-day buckets/)).toBeVisible();
  await expect(page.getByTestId("metrics-requests")).toHaveText("20");
  await page.getByLabel("Version").selectOption("1.0.0");
  await expect(page.getByText(/version 1\.0\.0/)).toBeVisible();
  await expect(page.getByTestId("metrics-requests")).toHaveText("20");
  await page.screenshot({ path: test.info().outputPath("metrics-30d.png"), fullPage: true });
});
