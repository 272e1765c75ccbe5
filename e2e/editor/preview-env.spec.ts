// The preview runs with the app's Preview environment: its plain variables reach the module in
// the tab; the Production environment and every secret stay out of the browser.
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { FIRST_COMPILE_MS, createAppAndOpenEditor } from "./support";

const APP = "envpreview";
const ECHO = path.join(process.cwd(), "fixtures/wasm/echo.wasm");

test("the preview sees the Preview environment's variables, not Production's and no secret", async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  await signUpViaApi(page);
  await createAppAndOpenEditor(page, APP, "hello-wat");
  await expect(page.getByTestId("preview-body")).toHaveText("Hello from WAT!", { timeout: FIRST_COMPILE_MS });

  const headers = { origin: new URL(baseURL!).origin };
  const setVar = async (name: string, value: string, environment: string, secret = false) =>
    expect((await page.request.put(`/api/v1/apps/${APP}/env/${name}?environment=${environment}`, { data: { value, secret }, headers })).status()).toBe(200);
  await setVar("GREETING", "hello from preview", "preview");
  await setVar("GREETING", "hello from production", "production");
  await setVar("PREVIEW_TOKEN", "s3cret-preview-value", "preview", true);
  await page.reload();
  await expect(page.locator(".monaco-editor").first()).toBeVisible({ timeout: 30_000 });

  // echo.wasm (C, wasi-libc) answers its whole environment as JSON.
  await page.getByLabel("Upload prebuilt .wasm").setInputFiles(ECHO);
  await expect(page.getByTestId("language")).toHaveText("prebuilt .wasm");
  const body = page.getByTestId("preview-body");
  await expect(body).toContainText(/"GREETING":\s*"hello from preview"/);
  await expect(body).not.toContainText("hello from production");
  await expect(body).not.toContainText("PREVIEW_TOKEN");
  await expect(body).not.toContainText("s3cret-preview-value");
  await page.screenshot({ path: test.info().outputPath("preview-env.png") });
});
