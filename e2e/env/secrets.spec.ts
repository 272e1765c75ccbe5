// Set a secret in the console, deploy the echo function (published through the API), and see the
// function read it over plain HTTP; the console only ever shows it masked, also after a reload.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { fetchApp } from "../../lib/testing/app-fetch";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/wasm");

test("a secret set in the console reaches the function and stays masked", async ({ page, baseURL }) => {
  const secret = `sk_live_${randomBytes(12).toString("hex")}`;
  await signUpViaApi(page);
  const origin = { origin: baseURL! };
  expect((await page.request.post("/api/v1/apps", { data: { name: "vault" }, headers: origin })).status()).toBe(201);
  const publish = await page.request.post("/api/v1/apps/vault/versions", {
    headers: origin,
    multipart: { version: "1.0.0", module: { name: "app.wasm", mimeType: "application/wasm", buffer: await readFile(path.join(FIXTURES, "echo.wasm")) } },
  });
  expect(publish.status()).toBe(201);
  expect((await page.request.post("/api/v1/apps/vault/deployments", { data: { version: "1.0.0" }, headers: origin })).status()).toBe(201);
  const { app } = (await (await page.request.get("/api/v1/apps/vault")).json()) as { app: { gatewayUrl: string } };

  await page.goto("/dashboard/apps/vault");
  await page.getByRole("link", { name: "Environment →" }).click();
  await expect(page.getByRole("heading", { name: "Environment variables and secrets" })).toBeVisible();
  await expect(page.getByRole("tab", { name: "Production" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByText("No variables in production yet.")).toBeVisible();

  await page.getByLabel("Name", { exact: true }).fill("API_KEY");
  await page.getByLabel("Secret", { exact: true }).check();
  await page.getByLabel("Value", { exact: true }).fill(secret);
  await page.getByRole("button", { name: "Save" }).click();
  const row = page.getByTestId("env-API_KEY");
  await expect(row).toContainText("••••••••");
  await expect(row).toContainText("secret");
  await expect(page.getByLabel("Value", { exact: true })).toHaveValue("");

  await page.getByLabel("Name", { exact: true }).fill("GREETING");
  await page.getByLabel("Value", { exact: true }).fill("hello from the console");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("env-GREETING")).toContainText("hello from the console");

  // The function reads both, over plain HTTP, without a new version (within the gateway's poll).
  await expect(async () => {
    const res = await fetchApp(app.gatewayUrl);
    expect(res.status).toBe(200);
    const { env } = (await res.json()) as { env: Record<string, string> };
    expect(env).toMatchObject({ API_KEY: secret, GREETING: "hello from the console" });
  }).toPass({ timeout: 10_000 });

  expect(await page.content()).not.toContain(secret);
  await page.reload();
  await expect(page.getByTestId("env-API_KEY")).toContainText("••••••••");
  await expect(page.getByTestId("env-GREETING")).toContainText("hello from the console");
  expect(await page.content()).not.toContain(secret);
  await page.screenshot({ path: test.info().outputPath("env-production.png"), fullPage: true });

  // Editing a secret starts from an empty value: the old one cannot be shown.
  await page.getByRole("button", { name: "Edit API_KEY" }).click();
  await expect(page.getByLabel("Value", { exact: true })).toHaveValue("");
  await expect(page.getByLabel("Secret", { exact: true })).toBeChecked();
  await page.getByRole("button", { name: "Cancel" }).click();

  // Preview is its own environment.
  await page.getByRole("tab", { name: "Preview" }).click();
  await expect(page.getByText("No variables in preview yet.")).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill("GREETING");
  await page.getByLabel("Value", { exact: true }).fill("hello preview");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("env-GREETING")).toContainText("hello preview");
  await page.screenshot({ path: test.info().outputPath("env-preview.png"), fullPage: true });

  // Deleting asks first, then the function no longer sees the variable.
  await page.getByRole("tab", { name: "Production" }).click();
  await page.getByRole("button", { name: "Delete GREETING" }).click();
  await page.getByRole("button", { name: "Yes, delete" }).click();
  await expect(page.getByTestId("env-GREETING")).toHaveCount(0);
  await expect(async () => {
    const { env } = (await (await fetchApp(app.gatewayUrl)).json()) as { env: Record<string, string> };
    expect(env).not.toHaveProperty("GREETING");
    expect(env.API_KEY).toBe(secret);
  }).toPass({ timeout: 10_000 });
});
