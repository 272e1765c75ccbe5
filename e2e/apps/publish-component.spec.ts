// Publishing a WASI 0.2 component from the console's publish form (issue #17): it is accepted and
// shown as a component with its world, its download is the file that was uploaded; a component
// for a world we cannot serve is refused with the reason under the Module field.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { componentImporting } from "../../lib/testing/component-fixtures";

const HELLO = path.resolve(import.meta.dirname, "../../fixtures/component/hello.component.wasm");

test("publish a wasi:http component, see its kind and world, download what was uploaded", async ({ page }) => {
  await signUpViaApi(page);
  await page.goto("/dashboard/apps");
  await page.getByLabel("App name").fill("comp");
  await page.getByRole("button", { name: "Create app" }).click();
  await expect(page).toHaveURL(/\/dashboard\/apps\/comp$/);

  await page.getByLabel("Version", { exact: true }).fill("0.0.1");
  await page.getByLabel("Module (.wasm or .wat)").setInputFiles(HELLO);
  await page.getByRole("button", { name: "Publish" }).click();
  const row = page.getByTestId("version-0.0.1");
  await expect(row).toBeVisible();
  await expect(row.getByText("component", { exact: true })).toBeVisible();
  await expect(page.getByText(/Published 0\.0\.1 · Component \(wasi:http 0\.2\) · sha256 [0-9a-f]{64}/)).toBeVisible();

  await row.getByRole("link", { name: "0.0.1", exact: true }).click();
  await expect(page.getByTestId("version-kind")).toHaveText("Component (wasi:http 0.2)");
  await expect(page.getByTestId("component-imports")).toContainText("wasi:http/types@0.2.0");
  await expect(page.getByTestId("component-exports")).toHaveText("wasi:http/incoming-handler@0.2.0");
  await expect(page.getByTestId("hash-artifact")).toHaveText(/^[0-9a-f]{64}$/);
  await page.screenshot({ path: test.info().outputPath("component-version-page.png"), fullPage: true });

  const uploaded = await readFile(HELLO);
  const download = await page.request.get("/api/v1/apps/comp/versions/0.0.1/module");
  expect(download.status()).toBe(200);
  expect(Buffer.from(await download.body()).equals(uploaded)).toBe(true);
  await expect(page.getByTestId("hash-component")).toHaveText(createHash("sha256").update(uploaded).digest("hex"));
});

test("a component importing an interface the platform does not provide is refused, with the reason under Module", async ({ page }) => {
  await signUpViaApi(page);
  await page.goto("/dashboard/apps");
  await page.getByLabel("App name").fill("sockets");
  await page.getByRole("button", { name: "Create app" }).click();
  await expect(page).toHaveURL(/\/dashboard\/apps\/sockets$/);

  const component = await componentImporting(["wasi:sockets/tcp@0.2.0"]);
  await page.getByLabel("Version", { exact: true }).fill("0.0.1");
  await page.getByLabel("Module (.wasm or .wat)").setInputFiles({ name: "sockets.wasm", mimeType: "application/wasm", buffer: Buffer.from(component) });
  await page.getByRole("button", { name: "Publish" }).click();
  // The form names the field first, as for every field error.
  await expect(page.locator("#publish-module-error")).toContainText(
    "Module: the component imports wasi:sockets/tcp@0.2.0, which WasmCompute does not provide. Components may import (any 0.2.x version): wasi:http/types,",
  );
  await expect(page.getByTestId("version-0.0.1")).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath("component-refused.png") });
});
