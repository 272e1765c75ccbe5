// Settings → Security (issue #13 item 12): a user signed in on two browsers changes the password
// on one, and the other is signed out; then "Sign out everywhere" ends the session they kept too.
import { expect, test } from "@playwright/test";
import { addressOf, signUpViaApi } from "../support/accounts";

test("change the password, then sign out everywhere", async ({ page, browser }) => {
  const account = await signUpViaApi(page);
  const headers = { "x-forwarded-for": addressOf(account) };
  // The same user in another browser.
  const laptop = await browser.newContext({ extraHTTPHeaders: headers });
  const laptopPage = await laptop.newPage();
  await laptopPage.goto("/sign-in");
  await laptopPage.getByLabel("Email").fill(account.email);
  await laptopPage.getByLabel("Password").fill(account.password);
  await laptopPage.getByRole("button", { name: "Sign in" }).click();
  await expect(laptopPage).toHaveURL(/\/dashboard$/);

  await page.goto("/dashboard/settings");
  const security = page.getByRole("region", { name: "Security" });
  await security.getByLabel("Current password").fill("not-the-password-1");
  await security.getByLabel("New password").fill(`new-${account.password}`);
  await security.getByRole("button", { name: "Change password" }).click();
  await expect(page.locator("#currentPassword-error")).toHaveText("That is not your current password.");

  await security.getByLabel("Current password").fill(account.password);
  await security.getByLabel("New password").fill(`new-${account.password}`);
  await security.getByRole("button", { name: "Change password" }).click();
  await expect(security.getByRole("status")).toContainText("Password changed. 1 other session was signed out; this one stays signed in.");
  await page.screenshot({ path: test.info().outputPath("password-changed.png"), fullPage: true });

  // The laptop's session ended; this one goes on.
  await laptopPage.goto("/dashboard/settings");
  await expect(laptopPage).toHaveURL(/\/sign-in\?reason=expired&callbackUrl=%2Fdashboard%2Fsettings$/);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();

  // Signed in again on the laptop, with the new password; then sign out everywhere from here.
  await laptopPage.getByLabel("Email").fill(account.email);
  await laptopPage.getByLabel("Password").fill(`new-${account.password}`);
  await laptopPage.getByRole("button", { name: "Sign in" }).click();
  // Back where the expired session was sent from.
  await expect(laptopPage).toHaveURL(/\/dashboard\/settings$/);

  await page.getByRole("region", { name: "Security" }).getByRole("button", { name: "Sign out everywhere" }).click();
  await page.getByRole("alertdialog", { name: "Sign out everywhere?" }).getByRole("button", { name: "Sign out every session" }).click();
  await expect(page).toHaveURL(/\/sign-in\?reason=signed-out-everywhere$/);
  await expect(page.getByText("You are signed out on every device and browser.")).toBeVisible();
  await laptopPage.goto("/dashboard");
  await expect(laptopPage).toHaveURL(/\/sign-in\?reason=expired$/);
  await laptop.close();

  // The audit log tells the story.
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(`new-${account.password}`);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/dashboard/settings");
  const log = page.getByRole("region", { name: "Audit log" });
  await expect(log.getByRole("row").filter({ hasText: "Signed out everywhere" })).toHaveCount(1);
  await expect(log.getByRole("row").filter({ hasText: "Password changed" })).toHaveCount(1);
});
