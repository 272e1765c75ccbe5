import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { newAccount } from "../support/accounts";
import { startPlatform } from "../support/platform";

test("a signed-in user stays signed in across a restart of the platform", async ({ page }) => {
  test.setTimeout(240_000);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "wc-restart-"));
  const account = newAccount();

  let platform = await startPlatform({ dataDir });
  try {
    await page.goto(`${platform.consoleUrl}/sign-up`);
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByLabel("Tenant name").fill(account.tenant);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
  } finally {
    await platform.stop();
  }

  platform = await startPlatform({ dataDir });
  try {
    await page.goto(`${platform.consoleUrl}/dashboard/settings`);
    await expect(page).toHaveURL(/\/dashboard\/settings$/);
    await expect(page.getByTestId("tenant-name")).toHaveText(account.tenant);
    // The account itself was kept in the embedded database's data directory.
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
  } finally {
    await platform.stop();
  }
});
