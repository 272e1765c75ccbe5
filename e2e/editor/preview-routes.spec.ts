// A module that exports WAGI `_routes` (fixtures/wat/routes.wat) in the preview: the routes it
// declares are listed, a click fills the path, and each path runs its own entry point — as on the
// gateway.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { createAppAndOpenEditor } from "./support";

test("the preview discovers _routes and dispatches to each entry point", async ({ page }) => {
  test.setTimeout(120_000);
  await signUpViaApi(page);
  await createAppAndOpenEditor(page, "routes-app", "hello-wat");
  await expect(page.getByTestId("preview-body")).toHaveText("Hello from WAT!", { timeout: 60_000 });

  const source = await readFile(path.resolve(import.meta.dirname, "../../fixtures/wat/routes.wat"), "utf8");
  await page.locator(".monaco-editor .view-lines").first().click();
  await page.keyboard.press("Control+A");
  // Typed line by line, Monaco keeps the previous line's indentation: send the lines unindented.
  await page.keyboard.insertText(source.replace(/^[ \t]+/gm, ""));

  const preview = page.getByRole("complementary", { name: "Preview" });
  const routes = preview.getByTestId("preview-routes");
  await expect(routes.locator("summary")).toHaveText("Routes (3) · from the module's _routes", { timeout: 30_000 });
  await expect(page.getByTestId("preview-body")).toHaveText("main");
  await expect(routes.getByRole("listitem")).toHaveText([/^\/\.\.\.→ _startdefault$/, /^\/hello→ hello_routes$/, /^\/goodbye\/\.\.\.→ goodbye_routes$/]);

  await routes.getByRole("button", { name: /^\/hello/ }).click();
  await expect(preview.getByLabel("Path")).toHaveValue("/hello");
  await preview.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByTestId("preview-body")).toHaveText("hello");
  await page.screenshot({ path: test.info().outputPath("routes.png") });

  await routes.getByRole("button", { name: /^\/goodbye/ }).click();
  await expect(preview.getByLabel("Path")).toHaveValue("/goodbye/");
  await preview.getByLabel("Path").fill("/goodbye/and/more");
  await preview.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByTestId("preview-body")).toHaveText("goodbye");

  await preview.getByLabel("Path").fill("/hello/not-exact");
  await preview.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByTestId("preview-body")).toHaveText("main");
});
