// "Hello world (C)", "Hello world (Rust)" and "Empty" open the editor on what they are: the real C
// or Rust source with its prebuilt app.wasm (which the preview runs), the exact commands that build
// and publish it with the CLI, and no claim that the browser builds it; Empty has nothing to build.
import { expect, test } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { FIRST_COMPILE_MS } from "./support";

for (const [template, language, source, sourceLine, command, answer] of [
  ["hello-c", "C", "hello.c", "#include <stdio.h>", "clang --target=wasm32-wasi --sysroot=/usr -O2 -s -o app.wasm hello.c", "hello from C"],
  ["hello-rust", "Rust", "hello.rs", "fn main() {", "rustc --target wasm32-wasi -O -C strip=symbols -o app.wasm hello.rs", "hello from Rust"],
] as const) {
  test(`${language}: the editor shows the ${language} source, how to build it, and previews the prebuilt module`, async ({ page }) => {
    test.setTimeout(180_000);
    await signUpViaApi(page);
    await page.goto("/dashboard/apps");
    await page.getByLabel("App name").fill(template);
    await page.getByLabel("Template").selectOption(template);
    await expect(page.getByTestId("template-description")).toContainText("Not compiled in the browser");
    await page.getByRole("button", { name: "Create app" }).click();
    await page.getByRole("link", { name: "Open editor" }).click();

    const files = page.getByRole("navigation", { name: "Files" });
    await expect(files.getByRole("button", { name: source, exact: true })).toBeVisible({ timeout: 30_000 });
    await expect(files).toContainText("app.wasm");
    await expect(files).not.toContainText("main.ts");
    await expect(page.getByTestId("language")).toHaveText("prebuilt .wasm");
    // The source itself is open, not an AssemblyScript stand-in.
    await expect(page.locator(".monaco-editor .view-lines")).toContainText(sourceLine, { timeout: 30_000 });
    await expect(page.locator(".monaco-editor .view-lines")).not.toContainText("wasmcompute\"");
    const guide = page.getByRole("region", { name: "How this app is built" });
    await expect(guide).toContainText(`${source} is ${language}: it is not built in the browser`);
    await expect(page.getByTestId("build-commands")).toHaveText([command, "wasmcompute publish 0.0.1", "wasmcompute deploy 0.0.1"].join("\n"));
    // The preview runs the prebuilt module built from that source.
    await expect(page.getByTestId("preview-body")).toHaveText(answer, { timeout: FIRST_COMPILE_MS });
    await page.screenshot({ path: test.info().outputPath("editor.png") });
  });
}

test("Empty: the editor opens on the manifest alone and says how to bring a module", async ({ page }) => {
  await signUpViaApi(page);
  await page.goto("/dashboard/apps");
  await page.getByLabel("App name").fill("blank");
  await page.getByLabel("Template").selectOption("empty");
  await expect(page.getByTestId("template-description")).toContainText("Nothing is built in the browser");
  await page.getByRole("button", { name: "Create app" }).click();
  await page.getByRole("link", { name: "Open editor" }).click();
  const files = page.getByRole("navigation", { name: "Files" });
  // The file's button also carries its problem count ("Nothing to build" below) once the draft is checked.
  await expect(files.getByRole("button", { name: /^wasmcompute\.yaml/ })).toBeVisible({ timeout: 30_000 });
  await expect(files.getByRole("listitem")).toHaveCount(1);
  await expect(page.getByTestId("language")).toHaveText("no module");
  await expect(page.getByRole("region", { name: "How this app is built" })).toContainText("no source the browser can build");
  await expect(page.getByTestId("problem")).toContainText("Nothing to build");
});
