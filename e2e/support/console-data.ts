// A tenant whose console pages all have something on them: an app from the WAT hello template,
// its version 0.0.1 published and deployed (the prebuilt module, as the publish form sends it),
// a request served (logs, metrics), a key-value entry, an environment variable and an API token.
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { signUpViaApi, type Account } from "./accounts";
import { fetchApp } from "../../lib/testing/app-fetch";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/wasm");

export async function tenantWithData(page: Page, baseURL: string, app = "greeter"): Promise<{ account: Account; app: string; gatewayUrl: string }> {
  const account = await signUpViaApi(page);
  const origin = { origin: baseURL };
  expect((await page.request.post("/api/v1/apps", { data: { name: app, template: "hello-wat" }, headers: origin })).status()).toBe(201);
  await page.goto(`/dashboard/apps/${app}`);
  await page.getByLabel("Version", { exact: true }).fill("0.0.1");
  await page.getByLabel("Module (.wasm or .wat)").setInputFiles(path.join(FIXTURES, "hello-wat.wasm"));
  await page.getByRole("button", { name: "Publish" }).click();
  await page.getByRole("button", { name: "Deploy 0.0.1" }).click();
  await expect(page.getByTestId("live-default")).toHaveText("0.0.1");
  const { app: view } = (await (await page.request.get(`/api/v1/apps/${app}`)).json()) as { app: { gatewayUrl: string } };
  await expect.poll(async () => (await fetchApp(view.gatewayUrl)).status, { timeout: 15_000 }).toBe(200);
  expect((await page.request.put(`/api/v1/apps/${app}/kv/entry?key=greeting`, { data: { value: "hello" }, headers: origin })).status()).toBe(200);
  expect((await page.request.put(`/api/v1/apps/${app}/env/GREETING?environment=production`, { data: { value: "hi", secret: false }, headers: origin })).status()).toBe(200);
  expect((await page.request.post("/api/v1/tokens", { data: { name: "ci", scope: "read" }, headers: origin })).status()).toBe(201);
  return { account, app, gatewayUrl: view.gatewayUrl };
}

/** Every console page of a signed-in tenant with app `app` (version 0.0.1). */
export function consolePages(app: string): string[] {
  return [
    "/dashboard",
    "/dashboard/apps",
    `/dashboard/apps/${app}`,
    `/dashboard/apps/${app}/versions/0.0.1`,
    `/dashboard/apps/${app}/metrics`,
    `/dashboard/apps/${app}/kv`,
    `/dashboard/apps/${app}/settings`,
    `/dashboard/apps/${app}/editor`,
    "/dashboard/datastores",
    `/dashboard/logs?app=${app}`,
    "/dashboard/usage",
    "/dashboard/team",
    "/dashboard/tokens",
    "/dashboard/settings",
  ];
}
