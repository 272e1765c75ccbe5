import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { fetchApp } from "../../lib/testing/app-fetch";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/wasm");

/** Creates, publishes and deploys an app through the API with the page's session. */
async function deployApp(page: Page, name: string, module: string): Promise<string> {
  const origin = new URL(page.url() === "about:blank" ? test.info().project.use.baseURL! : page.url()).origin;
  const headers = { origin };
  expect((await page.request.post("/api/v1/apps", { data: { name }, headers })).status()).toBe(201);
  const published = await page.request.post(`/api/v1/apps/${name}/versions`, {
    headers,
    multipart: { version: "1.0.0", module: { name: `${module}.wasm`, mimeType: "application/wasm", buffer: await readFile(path.join(FIXTURES, `${module}.wasm`)) } },
  });
  expect(published.status()).toBe(201);
  expect((await page.request.post(`/api/v1/apps/${name}/deployments`, { data: { version: "1.0.0" }, headers })).status()).toBe(201);
  const { app } = (await (await page.request.get(`/api/v1/apps/${name}`)).json()) as { app: { gatewayUrl: string } };
  await expect(async () => expect((await fetchApp(app.gatewayUrl)).status).toBe(200)).toPass({ timeout: 5000 });
  return app.gatewayUrl;
}

test("the live tail shows a request as it happens; pause, resume, filter, open a request", async ({ page }) => {
  await signUpViaApi(page);
  const url = await deployApp(page, "tailed", "stderr");

  await page.goto("/dashboard");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Logs" }).click();
  await expect(page).toHaveURL(/\/dashboard\/logs/);
  // The sidebar opens every app's lines (e2e/logs/all-apps-and-filters.spec.ts); this tenant has one.
  await expect(page.getByLabel("App").locator("option:checked")).toHaveText("All apps");
  await expect(page.getByTestId("tail-state")).toHaveText("Live");

  const res = await fetchApp(`${url}from-the-test`);
  expect(res.status).toBe(200);
  const requestId = res.headers.get("x-request-id")!;
  const sent = Date.now();
  const lines = page.getByRole("row").filter({ has: page.getByRole("button", { name: `Request ${requestId}` }) });
  // Pushed by the tail, not polled; how fast is printed, never asserted (a busy machine is slow).
  await expect(lines.filter({ hasText: "warning: something odd but harmless" })).toBeVisible({ timeout: 15_000 });
  console.log(`request visible in the tail after ${Date.now() - sent} ms`);
  await expect(lines).toHaveCount(3);
  await expect(lines.first()).toContainText("200");

  // Paused: new requests wait; resuming catches up on them.
  await page.getByRole("button", { name: "Pause" }).click();
  await expect(page.getByTestId("tail-state")).toHaveText("Paused");
  const whilePaused = (await fetchApp(`${url}while-paused`)).headers.get("x-request-id")!;
  await page.waitForTimeout(1500);
  await expect(page.getByRole("button", { name: `Request ${whilePaused}` })).toHaveCount(0);
  await page.getByRole("button", { name: "Resume" }).click();
  await expect(page.getByRole("button", { name: `Request ${whilePaused}` })).toHaveCount(3, { timeout: 15_000 });

  // Filters: no 5xx here; text search finds one request's access line.
  await page.getByLabel("Status").fill("5xx");
  await expect(page.getByText("No log lines match.")).toBeVisible();
  await page.getByLabel("Status").fill("");
  await page.getByLabel("Search").fill("while-paused");
  await expect(page.getByTestId("log-line")).toHaveCount(1);
  await page.getByLabel("Search").fill("");
  await expect(page.getByRole("button", { name: `Request ${whilePaused}` })).toHaveCount(3);
  await expect(lines).toHaveCount(3);

  await page.screenshot({ path: test.info().outputPath("logs-tail.png"), fullPage: true });

  // A request id opens its access record with all its lines.
  await page.getByRole("button", { name: `Request ${requestId}` }).first().click();
  const panel = page.getByRole("complementary", { name: "Request details" });
  await expect(panel.getByTestId("request-status")).toHaveText("200");
  await expect(panel.getByTestId("request-lines").getByRole("listitem")).toHaveCount(3);
  await expect(panel).toContainText("starting handler");
  await expect(panel).toContainText("/from-the-test");
  await page.screenshot({ path: test.info().outputPath("logs-page.png"), fullPage: true });
});

test("the usage page shows the month's requests, charts and the provider comparison", async ({ page }) => {
  await signUpViaApi(page);
  const url = await deployApp(page, "billed", "hello-wat");
  for (let i = 0; i < 20; i++) await (await fetchApp(url)).arrayBuffer();

  await page.goto("/dashboard");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Usage & billing" }).click();
  await expect(page.getByRole("heading", { name: "Usage & billing" })).toBeVisible();
  // The readiness probe in deployApp was served too: at least 21 requests.
  await expect(async () => {
    await page.reload();
    expect(Number((await page.getByTestId("usage-requests").textContent())?.replace(/,/g, ""))).toBeGreaterThanOrEqual(21);
  }).toPass({ timeout: 10_000 });
  const comparison = page.getByRole("table", { name: "Price comparison" });
  await expect(comparison).toContainText("AWS Lambda");
  await expect(comparison).toContainText("Cloudflare Workers");
  await expect(page.getByTestId("total-Cloudflare Workers")).toHaveText("$5.00");
  await expect(page.getByText("Requests per day")).toBeVisible();
  await expect(page.locator(".recharts-bar-rectangle").first()).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("usage-page.png"), fullPage: true });
});
