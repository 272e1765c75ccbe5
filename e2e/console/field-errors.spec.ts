// Form errors name their field in words and all show at once: an empty submit of the publish form
// marks both Version and Module, create app, API tokens and env vars show the server's message
// under the field it is about (the API's `fields`), and nothing is left only in a banner.
import { expect, test } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";

test("empty and bad submits show every field's problem under that field, in words", async ({ page, baseURL }) => {
  await signUpViaApi(page);

  // Create app: an empty name.
  await page.goto("/dashboard/apps");
  await page.getByRole("button", { name: "Create app" }).click();
  await expect(page.locator("#app-name-error")).toHaveText("App name is required");
  await expect(page.getByLabel("App name")).toHaveAttribute("aria-invalid", "true");
  // (Next.js keeps an empty alert region for route announcements.)
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toHaveCount(0);

  // Publish: version and module both missing, both named at once.
  expect((await page.request.post("/api/v1/apps", { data: { name: "forms" }, headers: { origin: baseURL! } })).status()).toBe(201);
  await page.goto("/dashboard/apps/forms");
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.locator("#publish-version-error")).toHaveText("Version: give the version number, e.g. 0.0.1.");
  await expect(page.locator("#publish-module-error")).toHaveText("Module: attach the compiled .wasm file (or its .wat text).");
  await expect(page.getByLabel("Module (.wasm or .wat)")).toHaveAttribute("aria-invalid", "true");
  await page.screenshot({ path: test.info().outputPath("publish-errors.png") });

  // API tokens: an empty name.
  await page.goto("/dashboard/tokens");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.locator("#token-name-error")).toHaveText(/^Name: give the token a name/);

  // Env vars: a name the platform refuses, shown under Name.
  await page.goto("/dashboard/apps/forms/settings");
  await page.getByLabel("Name", { exact: true }).first().fill("1-not valid");
  await page.getByLabel("Value", { exact: true }).first().fill("x");
  await page.getByRole("button", { name: "Save" }).first().click();
  await expect(page.locator("#env-name-error")).toHaveText(/^A variable name uses letters, digits and underscores/);
});
