// The IDE story: edit → compile in the browser → preview in the tab → a type error marked and
// publish blocked → fix → publish the browser's bytes → deploy → the live gateway answers, byte for
// byte, what the preview showed. Once for AssemblyScript, once for WebAssembly text.
import { expect, test, type Page } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { FIRST_COMPILE_MS, appendText, createAppAndOpenEditor, deleteCurrentLine, fetchGatewayUntil, previewBodyBytes, replaceWord } from "./support";

async function gatewayUrlOf(page: Page, app: string): Promise<string> {
  const res = await page.request.get(`/api/v1/apps/${app}`);
  return ((await res.json()) as { app: { gatewayUrl: string } }).app.gatewayUrl;
}

async function publishDeployAndCompare(page: Page, app: string, expectedBody: string) {
  const publish = page.getByRole("button", { name: "Publish", exact: true });
  await expect(publish).toBeEnabled();
  await publish.click();
  await expect(page.getByTestId("published")).toContainText("0.0.1");
  await expect(page.getByTestId("hash-match")).toHaveText("✓ match");
  await expect(page.getByTestId("hash-server")).toContainText((await page.getByTestId("hash-browser").getAttribute("title"))!.slice(0, 12));
  await expect(page.getByTestId("hash-explained")).toHaveText(/^The server stored exactly the module this tab built and previewed/);

  await page.getByRole("button", { name: "Deploy 0.0.1" }).click();
  await expect(page.getByTestId("deployed")).toBeVisible();

  const previewBytes = await previewBodyBytes(page);
  expect(previewBytes.toString("utf8")).toBe(expectedBody);
  // The live gateway, fetched by this test with plain HTTP, returns the same bytes, at the app's
  // own host name (<app>--<tenant>.localhost), which the editor links once deployed.
  const gatewayUrl = await gatewayUrlOf(page, app);
  expect(new URL(gatewayUrl).hostname).toMatch(new RegExp(`^${app}--[a-z0-9-]+\\.localhost$`));
  await expect(page.getByTestId("deployed-url")).toHaveText(gatewayUrl);
  const live = await fetchGatewayUntil(gatewayUrl, previewBytes);
  expect(live.equals(previewBytes), `gateway: ${JSON.stringify(live.toString("utf8"))}, preview: ${JSON.stringify(previewBytes.toString("utf8"))}`).toBe(true);

  // "Visit" opens the live app in a new tab, which shows what the preview showed.
  await expect(page.getByTestId("live-at")).toContainText("Version 0.0.1 is live at");
  const [visited] = await Promise.all([page.waitForEvent("popup"), page.getByRole("link", { name: "Visit", exact: true }).click()]);
  await expect(visited).toHaveURL(gatewayUrl);
  await expect(visited.locator("body")).toHaveText(expectedBody.trimEnd());
  await visited.close();

  // The editor's own compare agrees.
  await page.getByRole("button", { name: "Compare with live" }).click();
  const dialog = page.getByRole("dialog", { name: "Preview and live compared" });
  await expect(dialog.getByTestId("compare-verdict")).toHaveText("identical");
  await expect(dialog.getByTestId("compare-live-body")).toHaveText(expectedBody.trimEnd());
  await page.screenshot({ path: test.info().outputPath("compare.png") });
  await dialog.getByRole("button", { name: "Close" }).click();
}

test("AssemblyScript: edit, preview, type error, fix, publish, deploy; the gateway matches the preview", async ({ page }) => {
  test.setTimeout(300_000);
  await signUpViaApi(page);
  await createAppAndOpenEditor(page, "as-app", "hello-as");

  await expect(page.getByTestId("language")).toHaveText("AssemblyScript");
  await expect(page.getByTestId("preview-body")).toHaveText("Hello from AssemblyScript!", { timeout: FIRST_COMPILE_MS });
  await expect(page.getByTestId("preview-logs")).toContainText("[info] hello: GET /");

  await replaceWord(page, "Hello from", "Hello", "Howdy");
  await expect(page.getByTestId("preview-body")).toHaveText("Howdy from AssemblyScript!");
  await page.screenshot({ path: test.info().outputPath("as-preview.png") });

  // A type error on line 7: a marker on that line, a problem listed, publish disabled.
  await appendText(page, 'const broken: i32 = "oops";');
  await expect(page.getByTestId("problem-count")).toHaveText("1 error");
  await expect(page.getByTestId("problem").first()).toContainText("main.ts:7:21");
  await expect(page.getByTestId("problem").first()).toContainText("not assignable");
  await expect(page.locator(".monaco-editor .squiggly-error")).toHaveCount(1);
  const marker = await page.locator(".monaco-editor .squiggly-error").boundingBox();
  const line7 = await page.locator(".monaco-editor .line-numbers", { hasText: /^7$/ }).boundingBox();
  expect(Math.abs(marker!.y + marker!.height / 2 - (line7!.y + line7!.height / 2))).toBeLessThan(line7!.height / 2);
  await expect(page.getByRole("button", { name: "Publish", exact: true })).toBeDisabled();
  await page.screenshot({ path: test.info().outputPath("as-type-error.png") });

  await deleteCurrentLine(page);
  await expect(page.getByTestId("problem-count")).toHaveText("no errors");
  await expect(page.getByTestId("preview-body")).toHaveText("Howdy from AssemblyScript!");

  await publishDeployAndCompare(page, "as-app", "Howdy from AssemblyScript!\n");

  // The draft was saved to the server: a reload shows the edited source.
  await expect(page.getByTestId("save-state")).toHaveText("Draft saved");
  await page.reload();
  await expect(page.locator(".monaco-editor .view-lines")).toContainText("Howdy from AssemblyScript!");
});

test("WAT: edit, preview, syntax error, fix, publish, deploy; the gateway matches the preview", async ({ page }) => {
  test.setTimeout(300_000);
  await signUpViaApi(page);
  await createAppAndOpenEditor(page, "wat-app", "hello-wat");

  await expect(page.getByTestId("language")).toHaveText("WebAssembly text");
  await expect(page.getByTestId("preview-body")).toHaveText("Hello from WAT!", { timeout: FIRST_COMPILE_MS });

  // Same length, so the data segment's byte count stays right.
  await replaceWord(page, "Hello from", "Hello", "Howdy");
  await expect(page.getByTestId("preview-body")).toHaveText("Howdy from WAT!");

  await appendText(page, "(oops)");
  await expect(page.getByTestId("problem-count")).toHaveText("1 error");
  const lines = (await page.locator(".monaco-editor .line-numbers").allTextContents()).map(Number).filter(Boolean);
  const lastLine = Math.max(...lines);
  await expect(page.getByTestId("problem").first()).toContainText(`main.wat:${lastLine}:`);
  await expect(page.locator(".monaco-editor .squiggly-error")).toHaveCount(1);
  await expect(page.getByRole("button", { name: "Publish", exact: true })).toBeDisabled();
  await page.screenshot({ path: test.info().outputPath("wat-syntax-error.png") });

  await deleteCurrentLine(page);
  await expect(page.getByTestId("problem-count")).toHaveText("no errors");
  await expect(page.getByTestId("preview-body")).toHaveText("Howdy from WAT!");
  await publishDeployAndCompare(page, "wat-app", "Howdy from WAT!\n");
});
