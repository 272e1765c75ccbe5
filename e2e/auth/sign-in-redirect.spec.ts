// Issue #13 item 9, open redirect after sign-in: the sign-in page's callbackUrl may only send the
// browser to a page of the console. Backslashes and tabs are the tricks: browsers read `/\evil`
// as `//evil` and drop a tab from `/<TAB>/evil`, both of them another host.
import { expect, test } from "@playwright/test";
import { addressOf, newAccount, signUpViaApi } from "../support/accounts";

const EVIL = "evil.example";

test("sign-in with a malicious callbackUrl lands on the console, a console path is kept", async ({ page, context, baseURL }) => {
  // Twelve sign-ins, each a password hash: past the default minute on a loaded machine.
  test.setTimeout(180_000);
  const account = newAccount();
  // This story's own client address, so its sign-ins do not add to other stories' per-address limits.
  await context.setExtraHTTPHeaders({ "x-forwarded-for": addressOf(account) });
  await signUpViaApi(page, account);
  // Were the browser sent off the console, it would land here (and nothing leaves the machine).
  let evilVisits = 0;
  await context.route((url) => url.hostname === EVIL, (route) => {
    evilVisits++;
    return route.fulfill({ status: 200, contentType: "text/html", body: "<h1>evil</h1>" });
  });
  const consoleOrigin = new URL(baseURL!).origin;

  const malicious = [
    `/%5C${EVIL}`, // /\evil.example
    `/%5C%5C${EVIL}/`, // /\\evil.example/
    `/%09/${EVIL}`, // /<TAB>/evil.example
    `/%0A/${EVIL}`, // /<LF>/evil.example
    `//${EVIL}`,
    `/.//${EVIL}`,
    `https://${EVIL}/`,
    `http:${EVIL}`,
    `%2F%2F${EVIL}`,
    `javascript:alert(1)`,
  ];
  for (const callbackUrl of malicious) {
    await context.clearCookies();
    await page.goto(`/sign-in?callbackUrl=${callbackUrl}`);
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page, `callbackUrl=${callbackUrl}`).toHaveURL(`${consoleOrigin}/dashboard`);
    await expect(page.getByTestId("tenant-name")).toHaveText(account.tenant);
  }
  expect(evilVisits).toBe(0);

  // A page of the console, as next-auth and requireSessionUser send it (relative or absolute), is kept.
  for (const [callbackUrl, landing] of [
    ["/dashboard/tokens", "/dashboard/tokens"],
    [encodeURIComponent(`${consoleOrigin}/dashboard/settings?tab=1#audit`), "/dashboard/settings?tab=1#audit"],
  ]) {
    await context.clearCookies();
    await page.goto(`/sign-in?callbackUrl=${callbackUrl}`);
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${consoleOrigin}${landing}`);
  }
});

test("next-auth's own redirect after a credentials sign-in stays on the console", async ({ playwright, baseURL }) => {
  const account = newAccount();
  const headers = { "x-forwarded-for": addressOf(account) };
  const client = await playwright.request.newContext({ baseURL });
  expect((await client.post("/api/v1/signup", { data: account, headers })).status()).toBe(201);
  for (const callbackUrl of [`/\\${EVIL}`, `/\t/${EVIL}`, `//${EVIL}`, `https://${EVIL}/`, `/.//${EVIL}`]) {
    const { csrfToken } = (await (await client.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const res = await client.post("/api/auth/callback/credentials", {
      form: { csrfToken, email: account.email, password: account.password, callbackUrl, json: "true" },
      headers: { ...headers, origin: new URL(baseURL!).origin },
    });
    expect(res.status(), callbackUrl).toBe(200);
    const { url } = (await res.json()) as { url: string };
    // Where the browser would go: resolved as a browser resolves it.
    const landing = new URL(url, baseURL);
    expect({ callbackUrl, origin: landing.origin, path: landing.pathname }).toEqual({ callbackUrl, origin: new URL(baseURL!).origin, path: expect.not.stringMatching(/^\/\//) });
  }
  await client.dispose();
});

test("a deep link opened signed out comes back after sign-in, its query string included", async ({ page, context, baseURL }) => {
  const account = newAccount();
  await context.setExtraHTTPHeaders({ "x-forwarded-for": addressOf(account) });
  await signUpViaApi(page, account);
  const consoleOrigin = new URL(baseURL!).origin;
  const deepLink = "/dashboard/logs?level=stderr&status=5xx";

  await context.clearCookies();
  await page.goto(deepLink);
  await expect(page).toHaveURL((url) => url.pathname === "/sign-in" && url.searchParams.get("callbackUrl") === deepLink);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${consoleOrigin}${deepLink}`);
  await expect(page.getByRole("heading", { name: "Logs", level: 1 })).toBeVisible();

  // Signed in already, the sign-in page sends the link on at once; the guard still holds there.
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent("/dashboard/tokens")}`);
  await expect(page).toHaveURL(`${consoleOrigin}/dashboard/tokens`);
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(`//${EVIL}/`)}`);
  await expect(page).toHaveURL(`${consoleOrigin}/dashboard`);

  // The console's own page for where it came from: a header sent by the browser cannot name another site.
  await context.clearCookies();
  await page.setExtraHTTPHeaders({ "x-forwarded-for": addressOf(account), "x-requested-path": `//${EVIL}/` });
  await page.goto("/dashboard/usage");
  await expect(page).toHaveURL((url) => url.pathname === "/sign-in" && url.searchParams.get("callbackUrl") === "/dashboard/usage");
});
