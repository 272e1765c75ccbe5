// Helpers for the editor stories: create an app from a console template, open its editor, and
// drive Monaco the way a person does (click, select, type).
import { expect, type Page } from "@playwright/test";
import { fetchApp } from "../../lib/testing/app-fetch";

/**
 * The first AssemblyScript compile in a fresh browser loads and JIT-warms asc (1.8 MB) and Binaryen
 * (its wasm streamed from /compiler): seconds on an idle machine, up to a minute on a loaded CI box.
 */
export const FIRST_COMPILE_MS = 150_000;

export async function createAppAndOpenEditor(page: Page, name: string, template: string) {
  await page.goto("/dashboard/apps");
  await page.getByLabel("App name").fill(name);
  await page.getByLabel("Template").selectOption(template);
  await page.getByRole("button", { name: "Create app" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/apps/${name}$`));
  await page.getByRole("link", { name: "Open editor" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/apps/${name}/editor$`));
  await expect(page.locator(".monaco-editor").first()).toBeVisible({ timeout: 30_000 });
}

/** Replaces the draft's files with an editor template, confirming in the page's dialog. */
export async function applyEditorTemplate(page: Page, template: string) {
  await page.getByRole("combobox", { name: "Template" }).selectOption(template);
  const confirm = page.getByRole("alertdialog", { name: /^Replace the files with/ });
  await confirm.getByRole("button", { name: "Replace the files" }).click();
  await expect(confirm).toHaveCount(0);
}

/** Double-clicks `word` inside the editor token that contains `context`, and types its replacement. */
export async function replaceWord(page: Page, context: string, word: string, replacement: string) {
  // Monaco re-renders its line spans while tokenizing: measure the token in one step, retrying.
  let target = { x: 0, y: 0 };
  await expect(async () => {
    const token = page.locator(".monaco-editor .view-lines span span", { hasText: context }).first();
    const m = await token.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height, text: el.textContent ?? "" };
    }, undefined, { timeout: 1000 });
    expect(m.width).toBeGreaterThan(0);
    const index = m.text.indexOf(word);
    target = { x: m.x + (index + word.length / 2) * (m.width / m.text.length), y: m.y + m.height / 2 };
  }).toPass({ timeout: 10_000 });
  await page.mouse.dblclick(target.x, target.y);
  await page.keyboard.type(replacement);
}

/** Puts the cursor at the end of the document and inserts text (no auto-closing of quotes). */
export async function appendText(page: Page, text: string) {
  await page.locator(".monaco-editor .view-lines").first().click();
  await page.keyboard.press("Control+End");
  await page.keyboard.insertText(text);
}

/** Deletes the line the cursor is on. */
export async function deleteCurrentLine(page: Page) {
  await page.keyboard.press("Control+Shift+K");
}

/** The preview's response body, byte for byte (the page keeps it as base64 on the panel). */
export async function previewBodyBytes(page: Page): Promise<Buffer> {
  const b64 = await page.getByTestId("preview").getAttribute("data-body-base64");
  return Buffer.from(b64 ?? "", "base64");
}

/** GETs a URL with plain HTTP from the test process until it answers `expected` (deploys propagate within a second). */
export async function fetchGatewayUntil(url: string, expected: Buffer, timeoutMs = 10_000): Promise<Buffer> {
  const deadline = Date.now() + timeoutMs;
  let last = Buffer.alloc(0);
  while (Date.now() < deadline) {
    const res = await fetchApp(url);
    last = Buffer.from(await res.arrayBuffer());
    if (res.status === 200 && last.equals(expected)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  return last;
}
