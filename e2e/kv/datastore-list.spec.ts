// The Datastores list: each app with its stores' key counts and sizes (key + value bytes, as the
// quotas count them), an app without a store yet listed as such; on a phone too.
import { expect, test } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { expectNoSidewaysScroll } from "../support/layout";

test("the datastores list shows each app's keys and sizes", async ({ page, baseURL }) => {
  await signUpViaApi(page);
  const headers = { origin: baseURL! };
  for (const name of ["notes", "empty"]) expect((await page.request.post("/api/v1/apps", { data: { name }, headers })).status()).toBe(201);
  // 5 + 11 bytes, 4 + 1000 bytes.
  expect((await page.request.put("/api/v1/apps/notes/kv/entry?key=hello", { data: { value: "hello world" }, headers })).status()).toBe(200);
  expect((await page.request.put("/api/v1/apps/notes/kv/entry?key=long", { data: { value: "x".repeat(1000) }, headers })).status()).toBe(200);

  await page.goto("/dashboard/datastores");
  await expect(page.getByRole("heading", { name: "Datastores", level: 1 })).toBeVisible();
  const notes = page.getByRole("listitem").filter({ hasText: "notes" });
  await expect(notes.getByTestId("app-kv-totals")).toContainText("2 keys · 1020 B");
  const stores = page.getByRole("table", { name: "Stores of notes" });
  await expect(stores.getByRole("row").nth(1)).toHaveText(/default\s*2\s*1020 B/);
  await expect(page.getByRole("listitem").filter({ hasText: "empty" })).toContainText("0 keys · 0 B");
  await expect(page.getByRole("listitem").filter({ hasText: "empty" })).toContainText("No store yet");

  await notes.getByRole("link", { name: "Browse keys →" }).click();
  await expect(page).toHaveURL(/\/dashboard\/apps\/notes\/kv$/);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/dashboard/datastores");
  await expect(page.getByRole("table", { name: "Stores of notes" })).toBeVisible();
  await expectNoSidewaysScroll(page, "datastores at 390 px");
  await page.screenshot({ path: test.info().outputPath("datastores-390.png"), fullPage: true });
});
