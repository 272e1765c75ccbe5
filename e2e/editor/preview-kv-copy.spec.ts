// The preview's key-value data is a copy of production: seed a key through the API, open the editor
// on the WAT key-value counter, the preview increments the copy while production (read with plain
// HTTP) keeps its value and the page sends no write; "Push preview data" after its confirmation
// writes production; "Reload from server" takes a fresh copy.
import { expect, test, type Page } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { applyEditorTemplate } from "./support";

const APP = "kv-app";

async function production(page: Page, key: string): Promise<{ status: number; body: string }> {
  const res = await page.request.get(`/api/v1/apps/${APP}/kv/entry?key=${encodeURIComponent(key)}&raw=1`);
  return { status: res.status(), body: await res.text() };
}

async function setProduction(page: Page, key: string, value: string) {
  const origin = new URL(page.url()).origin;
  const res = await page.request.put(`/api/v1/apps/${APP}/kv/entry?key=${encodeURIComponent(key)}`, { data: { value }, headers: { origin } });
  expect(res.status()).toBe(200);
}

test("preview counts in a copy of production; only Push writes production", async ({ page }) => {
  test.setTimeout(180_000);
  await signUpViaApi(page);
  await page.goto("/dashboard/apps");
  await page.getByLabel("App name").fill(APP);
  await page.getByLabel("Template").selectOption("hello-wat");
  await page.getByRole("button", { name: "Create app" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/apps/${APP}$`));
  await setProduction(page, "count", "41");
  await setProduction(page, "other", "untouched");

  // Every request the page sends that could write the store.
  const writes: string[] = [];
  page.on("request", (r) => {
    if (/\/api\/v1\/apps\/[^/]+\/kv(\/|\?|$)/.test(new URL(r.url()).pathname) && r.method() !== "GET") writes.push(`${r.method()} ${r.url()}`);
  });

  await page.getByRole("link", { name: "Open editor" }).click();
  await expect(page.locator(".monaco-editor").first()).toBeVisible({ timeout: 30_000 });
  await applyEditorTemplate(page, "kv-counter-wat");

  const preview = page.getByRole("complementary", { name: "Preview" });
  // Preview on change ran the counter against the copy: 41 + 1.
  await expect(page.getByTestId("preview-body")).toHaveText('{\n  "count": 42\n}', { timeout: 60_000 });
  await preview.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByTestId("preview-body")).toHaveText('{\n  "count": 43\n}');
  await preview.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByTestId("preview-body")).toHaveText('{\n  "count": 44\n}');

  await expect(page.getByTestId("preview-kv-summary")).toHaveText("2 keys");
  await expect(page.getByTestId("preview-kv-dirty")).toHaveText("1 unpushed change");
  await page.getByText("Preview data:").click();
  await expect(page.getByTestId("preview-kv-key").filter({ hasText: "count" })).toContainText("44");
  await page.screenshot({ path: test.info().outputPath("kv-copy.png") });

  // Production is unchanged, and the page never sent a write.
  expect(await production(page, "count")).toEqual({ status: 200, body: "41" });
  expect(writes).toEqual([]);

  // Push: the confirmation says what it will do; cancel writes nothing.
  await preview.getByRole("button", { name: "Push preview data…" }).click();
  const dialog = page.getByRole("alertdialog", { name: "Push preview data to production?" });
  await expect(dialog.getByTestId("push-kv-counts")).toContainText("set 1 key and delete 0 keys");
  await expect(dialog).toContainText("set count");
  await page.screenshot({ path: test.info().outputPath("kv-push-confirm.png") });
  await dialog.getByRole("button", { name: "Cancel" }).click();
  expect(await production(page, "count")).toEqual({ status: 200, body: "41" });
  expect(writes).toEqual([]);

  await preview.getByRole("button", { name: "Push preview data…" }).click();
  await dialog.getByRole("button", { name: "Push to production" }).click();
  await expect(page.getByTestId("preview-kv-pushed")).toHaveText("Pushed to production: 1 set, 0 deleted.");
  await expect(page.getByTestId("preview-kv-dirty")).toHaveCount(0);
  expect(await production(page, "count")).toEqual({ status: 200, body: "44" });
  expect(await production(page, "other")).toEqual({ status: 200, body: "untouched" });
  expect(writes).toHaveLength(1);
  expect(writes[0]).toMatch(/^PUT .*\/api\/v1\/apps\/kv-app\/kv\/entry\?key=count$/);

  // Production moves on; "Reload from server" takes a new copy and the preview counts from there.
  await setProduction(page, "count", "100");
  await preview.getByRole("button", { name: "Reload from server" }).click();
  await expect(page.getByTestId("preview-kv-key").filter({ hasText: "count" })).toContainText("100");
  await preview.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByTestId("preview-body")).toHaveText('{\n  "count": 101\n}');
  expect(await production(page, "count")).toEqual({ status: 200, body: "100" });
  expect(writes).toHaveLength(1);
});
