// The IDE preview triggers a schedule of the draft's wasmcompute.yaml: the request the gateway
// would make on its clock (method, path, body, X-Wasmcompute-Scheduled-At) runs in the tab.
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { FIRST_COMPILE_MS, createAppAndOpenEditor } from "./support";

const ECHO = path.join(process.cwd(), "fixtures/wasm/echo.wasm");

test("a schedule of the draft runs in the preview as the gateway would run it", async ({ page }) => {
  test.setTimeout(180_000);
  await signUpViaApi(page);
  await createAppAndOpenEditor(page, "cron-preview", "hello-wat");
  await expect(page.getByTestId("preview-body")).toHaveText("Hello from WAT!", { timeout: FIRST_COMPILE_MS });
  // echo.wasm (C, wasi-libc) answers its whole environment as JSON.
  await page.getByLabel("Upload prebuilt .wasm").setInputFiles(ECHO);
  await expect(page.getByTestId("language")).toHaveText("prebuilt .wasm");

  await page.getByRole("navigation", { name: "Files" }).getByRole("button", { name: "wasmcompute.yaml", exact: true }).click();
  // One flow-style line at the top: Monaco keeps the previous line's indentation on each newline.
  await page.locator(".monaco-editor .view-lines").first().click();
  await page.keyboard.press("Control+Home");
  await page.keyboard.insertText('schedules: [{ cron: "*/5 * * * *", path: /tasks/cleanup, body: tidy up }]\n');

  const preview = page.getByRole("complementary", { name: "Preview" });
  const schedules = preview.getByTestId("preview-schedules");
  await expect(schedules.locator("summary")).toHaveText("Schedules (1)", { timeout: 30_000 });
  await schedules.locator("summary").click();
  await expect(schedules.getByRole("listitem")).toHaveText(/\*\/5 \* \* \* \*\s*POST \/tasks\/cleanup\s*Trigger/);
  await schedules.getByRole("button", { name: "Trigger POST /tasks/cleanup (*/5 * * * *)" }).click();

  // The request panel now holds the scheduled request, and the module saw it.
  await expect(preview.getByLabel("Path")).toHaveValue("/tasks/cleanup");
  await expect(preview.getByLabel("Method")).toHaveValue("POST");
  const body = page.getByTestId("preview-body");
  await expect(body).toContainText(/"REQUEST_METHOD":\s*"POST"/);
  await expect(body).toContainText(/"PATH_INFO":\s*"\/tasks\/cleanup"/);
  await expect(body).toContainText(/"HTTP_X_WASMCOMPUTE_SCHEDULED_AT":\s*"manual"/);
  await expect(body).toContainText(/"CONTENT_LENGTH":\s*"7"/);
  await page.screenshot({ path: test.info().outputPath("preview-schedules.png") });
});
