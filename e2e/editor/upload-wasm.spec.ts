// A module built with another toolchain (Rust, wasm32-wasi) is uploaded in the editor, previewed in
// the tab, published and deployed; the live gateway, fetched by the test with plain HTTP, answers
// byte for byte what the preview showed.
import { readFileSync } from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import { expect, test } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { FIRST_COMPILE_MS, createAppAndOpenEditor, fetchGatewayUntil, previewBodyBytes } from "./support";

const FIXTURE = path.join(process.cwd(), "fixtures/wasm/hello-rust.wasm");

test("upload a prebuilt .wasm, preview it, publish, deploy; the gateway matches the preview", async ({ page }) => {
  test.setTimeout(180_000);
  await signUpViaApi(page);
  await createAppAndOpenEditor(page, "prebuilt", "hello-wat");
  await expect(page.getByTestId("preview-body")).toHaveText("Hello from WAT!", { timeout: FIRST_COMPILE_MS });

  await page.getByLabel("Upload prebuilt .wasm").setInputFiles(FIXTURE);
  await expect(page.getByTestId("language")).toHaveText("prebuilt .wasm");
  await expect(page.getByRole("navigation", { name: "Files" })).toContainText("app.wasm");
  await expect(page.getByTestId("preview-body")).toHaveText("hello from Rust");
  await page.screenshot({ path: test.info().outputPath("uploaded-preview.png") });

  // The bytes the browser publishes are the file's bytes.
  const publish = page.getByRole("button", { name: "Publish", exact: true });
  await expect(publish).toBeEnabled();
  await publish.click();
  await expect(page.getByTestId("published")).toContainText("0.0.1");
  await expect(page.getByTestId("hash-match")).toHaveText("✓ match");
  const fixtureSha = createHash("sha256").update(readFileSync(FIXTURE)).digest("hex");
  expect(await page.getByTestId("hash-uploaded").getAttribute("title")).toBe(fixtureSha);

  await page.getByRole("button", { name: "Deploy 0.0.1" }).click();
  await expect(page.getByTestId("deployed")).toBeVisible();

  const previewBytes = await previewBodyBytes(page);
  expect(previewBytes.toString("utf8")).toBe("hello from Rust\n");
  const app = ((await (await page.request.get("/api/v1/apps/prebuilt")).json()) as { app: { gatewayUrl: string } }).app;
  const live = await fetchGatewayUntil(app.gatewayUrl, previewBytes);
  expect(live.equals(previewBytes), `gateway: ${JSON.stringify(live.toString("utf8"))}`).toBe(true);
  await page.screenshot({ path: test.info().outputPath("deployed.png") });
});
