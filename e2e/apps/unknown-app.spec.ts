// Issue #19: an app address that names no app of the tenant (mistyped, deleted, or another
// tenant's) is a real 404 page with a way back to the apps list, on a phone too.
import { expect, test } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";

test("an unknown app's pages answer 404 with a way back to the apps", async ({ page, browser, baseURL }) => {
  // Another tenant's app: as unknown to this tenant as a name nobody has.
  const other = await browser.newPage();
  await signUpViaApi(other);
  expect((await other.request.post("/api/v1/apps", { data: { name: "theirs" }, headers: { origin: baseURL! } })).status()).toBe(201);
  await other.close();

  await signUpViaApi(page);
  for (const path of [
    "/dashboard/apps/does-not-exist",
    "/dashboard/apps/does-not-exist/kv",
    "/dashboard/apps/does-not-exist/editor",
    "/dashboard/apps/does-not-exist/versions/1.0.0",
    "/dashboard/apps/theirs/settings",
  ]) {
    const res = await page.goto(path);
    expect({ path, status: res?.status() }).toEqual({ path, status: 404 });
    await expect(page.getByRole("heading", { name: "App not found" }), path).toBeVisible();
  }
  await page.getByRole("link", { name: "Back to your apps" }).click();
  await expect(page).toHaveURL(/\/dashboard\/apps$/);
  await expect(page.getByRole("heading", { name: "Apps", exact: true })).toBeVisible();

  // On a phone the way back is on screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/dashboard/apps/does-not-exist");
  await expect(page.getByRole("link", { name: "Back to your apps" })).toBeInViewport();
  await page.screenshot({ path: test.info().outputPath("unknown-app-390.png"), fullPage: true });
});
