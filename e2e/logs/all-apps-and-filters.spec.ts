// Issue #19, logs: an "All apps" view of the whole tenant (each line with its app, nothing of another
// tenant's), query strings kept in request lines and the drawer, filters in the URL (a reload or a
// sent link shows the same lines), and a bad status filter explained in words.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { fetchApp } from "../../lib/testing/app-fetch";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/wasm");

/** Creates, publishes and deploys an app through the API with the page's session; its gateway URL. */
async function deployApp(page: Page, baseURL: string, name: string, module: string): Promise<string> {
  const headers = { origin: baseURL };
  expect((await page.request.post("/api/v1/apps", { data: { name }, headers })).status()).toBe(201);
  const published = await page.request.post(`/api/v1/apps/${name}/versions`, {
    headers,
    multipart: { version: "1.0.0", module: { name: `${module}.wasm`, mimeType: "application/wasm", buffer: await readFile(path.join(FIXTURES, `${module}.wasm`)) } },
  });
  expect(published.status()).toBe(201);
  expect((await page.request.post(`/api/v1/apps/${name}/deployments`, { data: { version: "1.0.0" }, headers })).status()).toBe(201);
  const { app } = (await (await page.request.get(`/api/v1/apps/${name}`)).json()) as { app: { gatewayUrl: string } };
  await expect.poll(async () => (await fetchApp(app.gatewayUrl)).status, { timeout: 15_000 }).toBe(200);
  return app.gatewayUrl;
}

/** Sends a request to an app; its request id. */
async function request(url: string): Promise<string> {
  const res = await fetchApp(url);
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  return res.headers.get("x-request-id")!;
}

test("All apps shows every app's lines with their app and query strings, and nothing of another tenant", async ({ page, browser, baseURL }) => {
  // Another tenant with an app of the same name, whose request is in the database before ours are.
  const other = await browser.newPage();
  await signUpViaApi(other);
  const otherUrl = await deployApp(other, baseURL!, "alpha", "hello-wat");
  await request(`${otherUrl}other-tenant?secret=theirs`);
  await expect.poll(async () => JSON.stringify(await (await other.request.get("/api/v1/logs?q=other-tenant")).json()), { timeout: 10_000 }).toContain("secret=theirs");

  await signUpViaApi(page);
  const alpha = await deployApp(page, baseURL!, "alpha", "hello-wat");
  const beta = await deployApp(page, baseURL!, "beta", "stderr");

  // The sidebar's Logs opens every app's lines.
  await page.goto("/dashboard");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Logs" }).click();
  await expect(page).toHaveURL(/\/dashboard\/logs$/);
  await expect(page.getByLabel("App")).toHaveValue("");
  await expect(page.getByLabel("App").locator("option:checked")).toHaveText("All apps");
  await expect(page.getByTestId("tail-state")).toHaveText("Live");

  const alphaId = await request(`${alpha}search?q=two%20words&page=2`);
  const betaId = await request(`${beta}from-beta?x=1`);
  const lineOf = (id: string) => page.getByTestId("log-line").filter({ has: page.getByRole("button", { name: `Request ${id}` }) });
  await expect(lineOf(alphaId).filter({ hasText: "/search?q=two%20words&page=2" })).toHaveCount(1);
  await expect(lineOf(alphaId).first().getByTestId("log-app")).toHaveText("alpha");
  await expect(lineOf(betaId).filter({ hasText: "/from-beta?x=1" })).toHaveCount(1);
  await expect(lineOf(betaId).first().getByTestId("log-app")).toHaveText("beta");
  // Every line shown is this tenant's: another tenant's "alpha" is not among them.
  await expect(page.getByText("other-tenant")).toHaveCount(0);
  await page.reload();
  await expect(lineOf(betaId).first()).toBeVisible();
  await expect(page.getByText("other-tenant")).toHaveCount(0);

  // The drawer of a request keeps its query string, read from the line's own app.
  await lineOf(alphaId).first().getByRole("button", { name: `Request ${alphaId}` }).click();
  const drawer = page.getByRole("complementary", { name: "Request details" });
  await expect(drawer.getByTestId("request-status")).toHaveText("200");
  await expect(drawer).toContainText("/search?q=two%20words&page=2");
  await page.keyboard.press("Escape");

  // On a phone the app is on each line and nothing scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(lineOf(betaId).first().getByTestId("log-app")).toBeVisible();
  const width = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, screen: window.innerWidth }));
  expect(width.doc).toBeLessThanOrEqual(width.screen);
  await page.screenshot({ path: test.info().outputPath("logs-all-apps-390.png"), fullPage: true });
  await other.close();
});

test("the logs' filters are in the URL: a reload and a shared link keep them; a bad status is said in words", async ({ page, context, baseURL }) => {
  await signUpViaApi(page);
  const alpha = await deployApp(page, baseURL!, "alpha", "stderr");
  await deployApp(page, baseURL!, "beta", "hello-wat");
  const wanted = await request(`${alpha}wanted?n=1`);
  await request(`${alpha}unwanted`);

  await page.goto("/dashboard/logs");
  await page.getByLabel("App").selectOption("alpha");
  await page.getByLabel("Level").selectOption("request");
  await page.getByLabel("Status").fill("2xx");
  await page.getByLabel("Search").fill("wanted?n=1");
  await expect(page).toHaveURL((url) => url.searchParams.get("app") === "alpha" && url.searchParams.get("level") === "request" && url.searchParams.get("status") === "2xx" && url.searchParams.get("q") === "wanted?n=1");
  const onlyWanted = async (p: Page) => {
    await expect(p.getByTestId("log-line")).toHaveCount(1);
    await expect(p.getByTestId("log-line").getByRole("button", { name: `Request ${wanted}` })).toBeVisible();
  };
  await onlyWanted(page);

  // A reload keeps them…
  await page.reload();
  await expect(page.getByLabel("App")).toHaveValue("alpha");
  await expect(page.getByLabel("Level")).toHaveValue("request");
  await expect(page.getByLabel("Status")).toHaveValue("2xx");
  await expect(page.getByLabel("Search")).toHaveValue("wanted?n=1");
  await onlyWanted(page);

  // …and so does the link, opened in another tab.
  const shared = await context.newPage();
  await shared.goto(page.url());
  await expect(shared.getByLabel("App")).toHaveValue("alpha");
  await expect(shared.getByLabel("Status")).toHaveValue("2xx");
  await onlyWanted(shared);
  await shared.close();

  // Back to every app: the app leaves the URL, the other filters stay.
  await page.getByLabel("App").selectOption("All apps");
  await expect(page).toHaveURL((url) => !url.searchParams.has("app") && url.searchParams.get("status") === "2xx");
  await onlyWanted(page);

  // A status that is neither a code nor a class: said in words, no zod path.
  await page.getByLabel("Status").fill("abc");
  const alert = page.getByRole("alert").filter({ hasText: "Status:" });
  await expect(alert).toHaveText('Status: use a code like 404 or a class like 5xx ("abc" is not one).');
  await expect(page.getByText("status.0")).toHaveCount(0);
  await page.getByLabel("Status").fill("5xx, 404");
  await expect(page.getByText("No log lines match.")).toBeVisible();
  await expect(alert).toHaveCount(0);
});
