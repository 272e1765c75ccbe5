// Two tabs edit the same app's draft. Tab A saves first; tab B's save, based on the older revision,
// is refused as a conflict (409) and shown as such, nothing on the server is overwritten, and B can
// resolve it either way the editor offers: load the server's draft, or save its own over it.
import { expect, test, type Page } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { FIRST_COMPILE_MS, createAppAndOpenEditor, replaceWord } from "./support";

interface Source {
  files: Record<string, string>;
  revision: number;
}

/** The server's draft, read by the test with plain HTTP (the context's session cookie, no page script). */
async function serverDraft(page: Page, app: string): Promise<Source> {
  const res = await page.request.get(`/api/v1/apps/${app}/source`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { source: Source }).source;
}

async function openEditor(page: Page, app: string) {
  await page.goto(`/dashboard/apps/${app}/editor`);
  await expect(page.locator(".monaco-editor").first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("preview-body")).toHaveText("Hello from WAT!", { timeout: FIRST_COMPILE_MS });
}

test("two tabs: the second save is a conflict, nothing is overwritten, and the tab can resolve it", async ({ page: tabA, context }) => {
  test.setTimeout(180_000);
  await signUpViaApi(tabA);

  // Tab A creates the app and opens its editor: the template becomes the first draft on the server.
  await createAppAndOpenEditor(tabA, "shared", "hello-wat");
  await expect(tabA.getByTestId("preview-body")).toHaveText("Hello from WAT!", { timeout: FIRST_COMPILE_MS });
  await expect(tabA.getByTestId("save-state")).toHaveText("Draft saved", { timeout: 15_000 });
  const first = await serverDraft(tabA, "shared");
  expect(first.revision).toBeGreaterThan(0);
  expect(first.files["main.wat"]).toContain("Hello from WAT!");

  // Tab B opens the same draft.
  const tabB = await context.newPage();
  await openEditor(tabB, "shared");
  await expect(tabB.getByTestId("save-state")).toHaveText("Draft saved");

  // A edits and saves (same-length words keep the WAT string's byte count right).
  await replaceWord(tabA, "Hello from", "Hello", "Alpha");
  await expect(tabA.getByTestId("preview-body")).toHaveText("Alpha from WAT!");
  await expect(tabA.getByTestId("save-state")).toHaveText("Draft saved", { timeout: 15_000 });
  const afterA = await serverDraft(tabA, "shared");
  expect(afterA.revision).toBeGreaterThan(first.revision);
  expect(afterA.files["main.wat"]).toContain("Alpha from WAT!");

  // B, still on the older revision, edits too: its save is refused and the editor says so.
  await replaceWord(tabB, "Hello from", "Hello", "Bravo");
  await expect(tabB.getByTestId("preview-body")).toHaveText("Bravo from WAT!");
  await expect(tabB.getByTestId("save-state")).toHaveText("Not saved: conflict", { timeout: 15_000 });
  const banner = tabB.getByTestId("save-conflict");
  await expect(banner).toBeVisible();
  await tabB.screenshot({ path: test.info().outputPath("conflict.png") });

  // Nothing was overwritten: the server still has A's draft at A's revision.
  const stillA = await serverDraft(tabA, "shared");
  expect(stillA).toEqual(afterA);
  expect(stillA.files["main.wat"]).not.toContain("Bravo");

  // Resolution 1: B loads the server's draft and sees A's edit.
  await banner.getByRole("button", { name: "Load the server's draft" }).click();
  await expect(banner).toBeHidden();
  await expect(tabB.getByTestId("save-state")).toHaveText("Draft saved");
  await expect(tabB.locator(".monaco-editor .view-lines")).toContainText("Alpha from WAT!");
  await expect(tabB.getByTestId("preview-body")).toHaveText("Alpha from WAT!");
  expect(await serverDraft(tabA, "shared")).toEqual(afterA);

  // A saves again; B (now one revision behind again) conflicts a second time and keeps its own.
  await replaceWord(tabA, "Alpha from", "Alpha", "Delta");
  await expect(tabA.getByTestId("save-state")).toHaveText("Draft saved", { timeout: 15_000 });
  const afterA2 = await serverDraft(tabA, "shared");
  expect(afterA2.files["main.wat"]).toContain("Delta from WAT!");

  await replaceWord(tabB, "Alpha from", "Alpha", "Gamma");
  await expect(tabB.getByTestId("save-state")).toHaveText("Not saved: conflict", { timeout: 15_000 });
  expect(await serverDraft(tabA, "shared")).toEqual(afterA2);
  await banner.getByRole("button", { name: "Save mine over it" }).click();
  await expect(tabB.getByTestId("save-state")).toHaveText("Draft saved", { timeout: 15_000 });
  const mine = await serverDraft(tabA, "shared");
  expect(mine.revision).toBeGreaterThan(afterA2.revision);
  expect(mine.files["main.wat"]).toContain("Gamma from WAT!");
  expect(mine.files["main.wat"]).not.toContain("Delta");
  await tabB.screenshot({ path: test.info().outputPath("resolved.png") });
});
