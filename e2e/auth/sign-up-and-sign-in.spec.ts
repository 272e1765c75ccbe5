import { expect, test } from "@playwright/test";
import { newAccount } from "../support/accounts";

test("a new user signs up, lands on their dashboard, signs out and back in", async ({ page }) => {
  const account = newAccount();
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByRole("link", { name: "Create an account" }).click();
  // The sign-in page has Email and Password fields too: wait for the sign-up form before typing.
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();

  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByLabel("Tenant name").fill(account.tenant);
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: `Welcome to ${account.tenant}` })).toBeVisible();
  await expect(page.getByTestId("tenant-name")).toHaveText(account.tenant);
  await expect(page.getByTestId("gateway-url")).toContainText(`/${account.tenant}/<app>`);
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const label of ["Apps", "Datastores", "Logs", "Usage & billing", "API tokens", "Settings"]) {
    await expect(nav.getByText(label, { exact: true })).toBeVisible();
  }
  // Every section is built now; one not built yet would be marked "soon", not offered as a link.
  for (const label of ["Apps", "Datastores", "Logs", "Usage & billing", "API tokens"]) {
    await expect(nav.getByRole("link", { name: label })).toBeVisible();
  }
  await expect(nav.locator('[aria-disabled="true"]')).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath("dashboard.png") });

  await nav.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByText(account.email, { exact: true }).first()).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in\?reason=signed-out$/);
  await expect(page.getByText("You are signed out.")).toBeVisible();
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in$/);

  await page.getByLabel("Email").fill(account.email.toUpperCase());
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("tenant-name")).toHaveText(account.tenant);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill("not-the-password-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toHaveText("Wrong email or password.");
  await expect(page).toHaveURL(/\/sign-in/);
  await page.screenshot({ path: test.info().outputPath("wrong-password.png") });
});

test("sign-up explains each bad input on the page and creates nothing", async ({ page, request }) => {
  const taken = newAccount();
  expect((await request.post("/api/v1/signup", { data: taken })).status()).toBe(201);

  await page.goto("/sign-up");
  const fresh = newAccount();
  const fill = async (email: string, password: string, tenant: string) => {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByLabel("Tenant name").fill(tenant);
    await page.getByRole("button", { name: "Create account" }).click();
  };

  await fill("not-an-email", fresh.password, fresh.tenant);
  await expect(page.locator("#email-error")).toHaveText("Enter a valid email address, like you@example.com");

  await fill(fresh.email, "short1", fresh.tenant);
  await expect(page.locator("#password-error")).toHaveText("Password must be at least 10 characters");

  await fill(fresh.email, fresh.password, taken.tenant);
  await expect(page.locator("#tenant-error")).toHaveText(`The tenant name "${taken.tenant}" is taken; choose another.`);

  await fill(taken.email, fresh.password, fresh.tenant);
  await expect(page.locator("#email-error")).toHaveText("An account with this email already exists. Sign in instead.");
  await page.screenshot({ path: test.info().outputPath("sign-up-errors.png") });

  // Nothing was half-created: the fresh tenant name is still free.
  await fill(fresh.email, fresh.password, fresh.tenant);
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("an expired or invalid session sends the user to sign in with a message", async ({ page, context }) => {
  // Set before any page loads: a loaded page's session check would clear the bad cookie first.
  await context.addCookies([{ name: "next-auth.session-token", value: "expired.or.tampered", domain: "127.0.0.1", path: "/" }]);
  await page.goto("/dashboard/settings");
  await expect(page).toHaveURL(/\/sign-in\?reason=expired$/);
  await expect(page.getByText("Your session has expired. Sign in again to continue.")).toBeVisible();
});

test("the API answers bad sign-up input with a 4xx JSON error", async ({ request }) => {
  const bad = await request.post("/api/v1/signup", { data: { email: "x", password: "y", tenant: "z" } });
  expect(bad.status()).toBe(422);
  expect((await bad.json()).error).toMatchObject({ code: "UNPROCESSABLE", field: "email" });
  const notJson = await request.post("/api/v1/signup", { data: Buffer.from("{oops"), headers: { "content-type": "application/json" } });
  expect(notJson.status()).toBe(400);
  expect((await notJson.json()).error.message).toBe("Request body must be valid JSON");
});
