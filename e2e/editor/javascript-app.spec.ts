// A JavaScript app in the IDE: the "Hello world (TypeScript)" template is bundled in the tab by
// esbuild-wasm, previewed on the QuickJS engine with lib/wasm, type-checked by Monaco with the
// platform's .d.ts, published as engine + _worker.js and deployed; the gateway answers the
// preview's bytes; an exception's stack names the TypeScript line. The JSON API template keeps its items in the preview's key-value copy.
import { expect, test } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { FIRST_COMPILE_MS, appendText, createAppAndOpenEditor, deleteCurrentLine, fetchGatewayUntil, previewBodyBytes, replaceWord } from "./support";

test("TypeScript: edit, preview with logs, type error, publish, deploy; the gateway matches the preview", async ({ page }) => {
  test.setTimeout(300_000);
  await signUpViaApi(page);
  await createAppAndOpenEditor(page, "ts-app", "hello-ts");

  await expect(page.getByTestId("language")).toHaveText("TypeScript");
  await expect(page.getByTestId("preview-body")).toHaveText("Hello, world!", { timeout: FIRST_COMPILE_MS });
  await expect(page.getByTestId("preview-logs")).toContainText("greeting world");
  await expect(page.getByTestId("build-status")).toContainText("_worker.js");

  await replaceWord(page, '"Hello"', "Hello", "Howdy");
  await expect(page.getByTestId("preview-body")).toHaveText("Howdy, world!");

  // A type error (from Monaco's TypeScript service with our .d.ts): listed at its line, marked in
  // the editor; esbuild strips types, so the preview keeps answering.
  await appendText(page, 'const broken: number = "oops";');
  await expect(page.getByTestId("problem-count")).toHaveText("1 error", { timeout: 30_000 });
  await expect(page.getByTestId("problem").first()).toContainText("src/index.ts:18:7");
  await expect(page.getByTestId("problem").first()).toContainText("not assignable to type 'number'");
  await expect(page.locator(".monaco-editor .squiggly-error")).toHaveCount(1);
  // The handler API is typed: a misspelt Response method is an error too. (Deleting the last line
  // takes its newline: the next lines are appended after one.)
  await deleteCurrentLine(page);
  await appendText(page, '\nexport const oops = () => Response.jsonn({});');
  await expect(page.getByTestId("problem").first()).toContainText("Property 'jsonn' does not exist on type 'typeof Response'");
  await page.screenshot({ path: test.info().outputPath("ts-type-error.png") });
  await deleteCurrentLine(page);
  await expect(page.getByTestId("problem-count")).toHaveText("no errors");

  // A bundling error stops the preview, at its file and line.
  await appendText(page, '\nimport { nope } from "./missing"; console.log(nope);');
  await expect(page.getByTestId("problem").filter({ hasText: 'Could not resolve "./missing"' })).toContainText("src/index.ts:18:22");
  await expect(page.getByRole("button", { name: "Publish", exact: true })).toBeDisabled();
  await deleteCurrentLine(page);
  await expect(page.getByTestId("problem-count")).toHaveText("no errors");
  await expect(page.getByTestId("preview-body")).toHaveText("Howdy, world!");
  await page.screenshot({ path: test.info().outputPath("ts-preview.png") });

  const publish = page.getByRole("button", { name: "Publish", exact: true });
  await expect(publish).toBeEnabled();
  await publish.click();
  await expect(page.getByTestId("published")).toContainText("0.0.1");
  await expect(page.getByTestId("hash-match")).toHaveText("✓ match");
  await page.getByRole("button", { name: "Deploy 0.0.1" }).click();
  await expect(page.getByTestId("deployed")).toBeVisible();

  const previewBytes = await previewBodyBytes(page);
  expect(previewBytes.toString("utf8")).toBe("Howdy, world!\n");
  const { app } = (await (await page.request.get("/api/v1/apps/ts-app")).json()) as { app: { gatewayUrl: string } };
  const live = await fetchGatewayUntil(app.gatewayUrl, previewBytes);
  expect(live.toString("utf8")).toBe(previewBytes.toString("utf8"));

  // The published version is the engine plus the bundled _worker.js.
  const version = (await (await page.request.get("/api/v1/apps/ts-app/versions/0.0.1")).json()) as { version: { manifest: { files?: string[] } } };
  expect(version.version.manifest.files).toEqual(["_worker.js"]);

  // An uncaught exception: a 500 whose stack, in the preview's logs, points at the TypeScript line.
  await appendText(page, '\nexport const x: number = ((): number => { throw new Error("kaboom"); })();');
  await expect(page.getByTestId("preview-status")).toHaveText("500");
  await expect(page.getByTestId("preview-logs")).toContainText("kaboom");
  // Each frame names the TypeScript line first, the bundle's after it: "src/index.ts:18:53 (_worker.js:14:18)".
  await expect(page.getByTestId("preview-logs")).toContainText(/at <anonymous> \(src\/index\.ts:18:\d+ \(_worker\.js:\d+:\d+\)\)/);
  await page.screenshot({ path: test.info().outputPath("ts-exception.png") });
});

test("JavaScript JSON API: POST /items increments the id in the preview's key-value copy", async ({ page }) => {
  test.setTimeout(240_000);
  await signUpViaApi(page);
  await createAppAndOpenEditor(page, "js-api", "json-api-js");

  await expect(page.getByTestId("language")).toHaveText("JavaScript");
  await expect(page.getByTestId("preview-body")).toContainText('"ok": true', { timeout: FIRST_COMPILE_MS });

  const preview = page.getByRole("complementary", { name: "Preview" });
  await preview.getByLabel("Method").selectOption("POST");
  await preview.getByLabel("Path").fill("/items");
  await preview.getByText("Query, headers, body").click();
  await preview.getByLabel("Headers").fill("content-type: application/json");
  await preview.getByLabel("Body").fill('{"name": "tea"}');
  await preview.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByTestId("preview-body")).toContainText('"id": 1');
  await expect(page.getByTestId("preview-logs")).toContainText("created item 1");
  await preview.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByTestId("preview-body")).toContainText('"id": 2');
  await expect(page.getByTestId("preview-kv-dirty")).toHaveText(/unpushed change/);
});
