import path from "node:path";
import { expect, test } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { fetchApp } from "../../lib/testing/app-fetch";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/wasm");

test("create an app from a template, publish prebuilt modules, deploy, try it, roll back", async ({ page }) => {
  const account = await signUpViaApi(page);
  await page.goto("/dashboard");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Apps" }).click();
  await expect(page.getByText("No apps yet. Create one above.")).toBeVisible();

  await page.getByLabel("App name").fill("greeter");
  await page.getByLabel("Template").selectOption("hello-c");
  await page.getByRole("button", { name: "Create app" }).click();
  await expect(page).toHaveURL(/\/dashboard\/apps\/greeter$/);
  await expect(page.getByRole("heading", { name: "greeter" })).toBeVisible();
  // The app's own origin: <app>--<tenant>.localhost on the gateway's port.
  await expect(page.getByTestId("app-gateway-url")).toHaveText(new RegExp(`^http://greeter--${account.tenant}\\.localhost:\\d+/$`));

  const publish = async (version: string, module: string) => {
    await page.getByLabel("Version", { exact: true }).fill(version);
    await page.getByLabel("Module (.wasm or .wat)").setInputFiles(path.join(FIXTURES, module));
    await page.getByRole("button", { name: "Publish" }).click();
    await expect(page.getByTestId(`version-${version}`)).toBeVisible();
  };
  await publish("0.0.1", "hello-c.wasm");
  await publish("0.0.2", "hello-rust.wasm");

  // Publishing the same number again is refused with a clear message.
  await page.getByLabel("Version", { exact: true }).fill("0.0.1");
  await page.getByLabel("Module (.wasm or .wat)").setInputFiles(path.join(FIXTURES, "hello-wat.wasm"));
  await page.getByRole("button", { name: "Publish" }).click();
  // (Refused before the upload is read; the message stands under the Version field it is about.)
  await expect(page.getByText('Version 0.0.1 of "greeter" already exists')).toBeVisible();

  await page.getByRole("button", { name: "Deploy 0.0.1" }).click();
  await expect(page.getByTestId("live-default")).toHaveText("0.0.1");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("try-status")).toHaveText("200");
  await expect(page.getByTestId("try-body")).toHaveText("hello from C");
  const appUrl = (await page.getByTestId("app-gateway-url").textContent())!;
  await expect(page.getByTestId("try-url")).toHaveText(appUrl);
  // The link opens the app itself, in the browser, at its own host name.
  const [opened] = await Promise.all([page.context().waitForEvent("page"), page.getByTestId("app-gateway-url").click()]);
  await expect(opened.locator("body")).toHaveText("hello from C");
  await opened.close();

  await page.getByRole("button", { name: "Deploy 0.0.2" }).click();
  await expect(page.getByTestId("live-default")).toHaveText("0.0.2");
  // Try it's answer came from 0.0.1: it goes, and says why.
  await expect(page.getByTestId("try-response")).toHaveCount(0);
  await expect(page.getByTestId("try-cleared")).toHaveText(/What is live changed/);
  await expect(async () => {
    await page.getByRole("button", { name: "Send" }).click();
    await expect(page.getByTestId("try-body")).toHaveText("hello from Rust", { timeout: 500 });
  }).toPass({ timeout: 5000 });
  await page.screenshot({ path: test.info().outputPath("app-page.png"), fullPage: true });

  await page.getByRole("button", { name: "Roll back", exact: true }).click();
  await page.getByRole("alertdialog", { name: "Roll back to 0.0.1?" }).getByRole("button", { name: "Roll back to 0.0.1" }).click();
  await expect(page.getByTestId("live-default")).toHaveText("0.0.1");
  await expect(page.getByTestId("try-response")).toHaveCount(0);
  await expect(page.getByTestId("try-cleared")).toBeVisible();
  await expect(async () => {
    await page.getByRole("button", { name: "Send" }).click();
    await expect(page.getByTestId("try-body")).toHaveText("hello from C", { timeout: 500 });
  }).toPass({ timeout: 5000 });

  // The version page shows the hashes of what runs.
  await page.getByRole("link", { name: "0.0.1", exact: true }).click();
  await expect(page.getByTestId("hash-module")).toHaveText(/^[0-9a-f]{64}$/);
  await page.screenshot({ path: test.info().outputPath("version-page.png"), fullPage: true });
});

test("publish a .wat module as WAGI serves it, and read the limits an app gets by default", async ({ page }) => {
  await signUpViaApi(page);
  await page.goto("/dashboard/apps");
  await page.getByLabel("App name").fill("text");
  await page.getByRole("button", { name: "Create app" }).click();
  await expect(page).toHaveURL(/\/dashboard\/apps\/text$/);

  // WebAssembly text is compiled on the way in and runs like any module.
  await page.getByLabel("Version", { exact: true }).fill("1.0.0");
  await page.getByLabel("Module (.wasm or .wat)").setInputFiles(path.resolve(FIXTURES, "../wat/hello.wat"));
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByTestId("version-1.0.0")).toBeVisible();

  // What the app runs under without `limits:` (lib/deployment-record/default-limits-table.ts).
  const limits = page.getByRole("region", { name: "Default limits" });
  for (const value of ["128 MiB", "10 s", "10 MiB", "16 MiB"]) await expect(limits).toContainText(value);
});

test("delete an app after typing its name; its gateway route stops answering", async ({ page }) => {
  const account = await signUpViaApi(page);
  await page.goto("/dashboard/apps");
  await page.getByLabel("App name").fill("short-lived");
  await page.getByRole("button", { name: "Create app" }).click();
  await page.getByLabel("Version", { exact: true }).fill("1.0.0");
  await page.getByLabel("Module (.wasm or .wat)").setInputFiles(path.join(FIXTURES, "hello-wat.wasm"));
  await page.getByRole("button", { name: "Publish" }).click();
  await page.getByRole("button", { name: "Deploy 1.0.0" }).click();
  await expect(page.getByTestId("live-default")).toHaveText("1.0.0");
  const gatewayUrl = (await page.getByTestId("app-gateway-url").textContent())!;
  await expect.poll(async () => (await fetchApp(gatewayUrl)).status).toBe(200);

  await page.getByRole("button", { name: "Delete app" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Confirm app deletion" });
  await expect(confirm.getByRole("button", { name: "Delete short-lived" })).toBeDisabled();
  await confirm.getByLabel("App name to confirm").fill("short-lived");
  await confirm.getByRole("button", { name: "Delete short-lived" }).click();
  await expect(page).toHaveURL(/\/dashboard\/apps$/);
  await expect(page.getByText("No apps yet. Create one above.")).toBeVisible();
  await expect.poll(async () => (await fetchApp(gatewayUrl)).status, { timeout: 3000 }).toBe(404);
  expect(account.tenant).toBeTruthy();
});

test("create an API token, see it once, use it, revoke it", async ({ page, request }) => {
  await signUpViaApi(page);
  await page.goto("/dashboard/tokens");
  await page.getByLabel("Name").fill("ci");
  await page.getByLabel("Scope").selectOption("read");
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByTestId("new-token-secret").textContent())!;
  expect(secret).toMatch(/^wc_[A-Za-z0-9_-]{43}$/);
  const auth = { authorization: `Bearer ${secret}` };
  expect((await request.get("/api/v1/apps", { headers: auth })).status()).toBe(200);
  await page.reload();
  await expect(page.getByText(secret)).toHaveCount(0);
  await page.getByRole("button", { name: "Revoke ci" }).click();
  await page.getByRole("alertdialog", { name: "Revoke ci?" }).getByRole("button", { name: "Revoke token" }).click();
  await expect(page.getByRole("cell", { name: "revoked" })).toBeVisible();
  expect((await request.get("/api/v1/apps", { headers: auth })).status()).toBe(401);
});
