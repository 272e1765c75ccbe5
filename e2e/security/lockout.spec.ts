// Failed sign-ins as people meet them (issue #13 item 14): someone guessing a password from their
// own address is made to wait, longer after each further failure, and the sign-in page says until
// when; the account's owner, at another address, signs in as usual. An unknown email reads the same.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { addressOf, newAccount, signUpViaApi, type Account } from "../support/accounts";

/** A wrong password through next-auth's form endpoint from `address`; the message it answers. */
async function wrongPassword(request: APIRequestContext, email: string, address: string) {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await request.post("/api/auth/callback/credentials", { form: { csrfToken, email, password: "not-the-password-1", json: "true" }, headers: { "x-forwarded-for": address } });
  return decodeURIComponent(((await res.json()) as { url: string }).url);
}

/** Another address than the account's own (addressOf) for the one guessing. */
const guesserOf = (account: Account) => addressOf(account).replace(/^10\./, "172.");

test("five wrong passwords make the guesser's address wait; the owner at their own address signs in", async ({ page, browser, context }) => {
  const account = await signUpViaApi(page);
  const guesser = guesserOf(account);
  expect(guesser).not.toBe(addressOf(account));
  const outsider = await browser.newContext();
  for (let i = 1; i <= 5; i++) {
    const answer = await wrongPassword(outsider.request, account.email, guesser);
    expect(answer).toContain(i < 5 ? "Wrong email or password." : "Too many failed sign-ins for this email from your address. Try again after");
  }

  // The guesser's browser, with the right password even: refused, with the time it may try again.
  const guesserPage = await outsider.newPage();
  await outsider.setExtraHTTPHeaders({ "x-forwarded-for": guesser });
  await guesserPage.goto("/sign-in");
  await guesserPage.getByLabel("Email").fill(account.email);
  await guesserPage.getByLabel("Password").fill(account.password);
  await guesserPage.getByRole("button", { name: "Sign in" }).click();
  const alert = guesserPage.getByRole("alert").filter({ hasText: /\S/ });
  await expect(alert).toContainText("Too many failed sign-ins for this email from your address. Try again after");
  await expect(alert).toHaveText(/after \d\d:\d\d UTC \(in 1 minute\); each further failure doubles the wait\.$/);
  await expect(guesserPage).toHaveURL(/\/sign-in/);
  await guesserPage.screenshot({ path: test.info().outputPath("waiting.png") });
  await outsider.close();

  // The owner, from their own address, is not locked out by any of it.
  await context.clearCookies();
  await context.setExtraHTTPHeaders({ "x-forwarded-for": addressOf(account) });
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("tenant-name")).toHaveText(account.tenant);

  // The waits are in the audit log, with the guesser's address.
  const log = (await (await page.request.get("/api/v1/audit?action=auth.locked")).json()) as { events: { ip: string; detail: { seconds: number } }[] };
  expect(log.events).toEqual([expect.objectContaining({ ip: guesser, detail: expect.objectContaining({ seconds: 60 }) })]);

  // An email with no account: the same answers, the wait included.
  const stranger = newAccount();
  const other = await browser.newContext();
  const answers: string[] = [];
  for (let i = 1; i <= 5; i++) answers.push(await wrongPassword(other.request, stranger.email, guesser));
  expect(answers.slice(0, 4).every((a) => a.includes("Wrong email or password."))).toBe(true);
  expect(answers[4]).toContain("Too many failed sign-ins for this email from your address. Try again after");
  await other.close();
});
