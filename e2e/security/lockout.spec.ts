// Account lockout as a person meets it: after ten wrong passwords, even the right one is refused
// on the sign-in page with the time the account unlocks; an unknown email reads the same.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { addressOf, newAccount, signUpViaApi, type Account } from "../support/accounts";

async function wrongPassword(request: APIRequestContext, account: Account, email = account.email) {
  const headers = { "x-forwarded-for": addressOf(account) };
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await request.post("/api/auth/callback/credentials", { form: { csrfToken, email, password: "not-the-password-1", json: "true" }, headers });
  return ((await res.json()) as { url: string }).url;
}

test("ten failed sign-ins lock the account for 15 minutes, and the page says until when", async ({ page, browser }) => {
  const account = await signUpViaApi(page);
  const outsider = await browser.newContext();
  for (let i = 1; i <= 10; i++) {
    const url = await wrongPassword(outsider.request, account);
    expect(decodeURIComponent(url)).toContain(i < 10 ? "Wrong email or password." : "This account is locked after 10 failed sign-ins.");
  }
  await outsider.close();

  await page.context().clearCookies();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const alert = page.getByRole("alert").filter({ hasText: /\S/ });
  await expect(alert).toContainText("This account is locked after 10 failed sign-ins. Try again after");
  await expect(alert).toHaveText(/after \d\d:\d\d UTC \(in 1[45] minutes\)\.$/);
  await expect(page).toHaveURL(/\/sign-in/);
  await page.screenshot({ path: test.info().outputPath("locked.png") });

  // An email with no account: the same answers, lockout included.
  const stranger = newAccount();
  const context = await browser.newContext();
  const answers: string[] = [];
  for (let i = 1; i <= 10; i++) answers.push(decodeURIComponent(await wrongPassword(context.request, stranger)));
  expect(answers.slice(0, 9).every((a) => a.includes("Wrong email or password."))).toBe(true);
  expect(answers[9]).toContain("This account is locked after 10 failed sign-ins.");
  await context.close();
});
