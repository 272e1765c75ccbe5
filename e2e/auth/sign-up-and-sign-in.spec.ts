import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { decode, encode } from "next-auth/jwt";
import { addressOf, newAccount } from "../support/accounts";

/** lib/tenants/sign-up.ts's answer to a taken email (the e2e suite does not import the server's code). */
const EMAIL_UNAVAILABLE = "This email cannot be used for a new account. If you already have an account, sign in instead; otherwise use another email.";

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
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  await expect(page.getByText(`Welcome to ${account.tenant}.`)).toBeVisible();
  await expect(page.getByTestId("tenant-name")).toHaveText(account.tenant);
  await expect(page.getByTestId("gateway-url")).toContainText(`<app>--${account.tenant}.localhost`);
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

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in\?reason=signed-out$/);
  await expect(page.getByText("You are signed out.")).toBeVisible();
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in$/);

  await page.getByLabel("Email").fill(account.email.toUpperCase());
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("tenant-name")).toHaveText(account.tenant);

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
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
  await expect(page.locator("#email-error")).toHaveText("Email: enter a valid email address, like you@example.com");

  await fill(fresh.email, "short1", fresh.tenant);
  await expect(page.locator("#password-error")).toHaveText("Password must be at least 10 characters");

  await fill(fresh.email, fresh.password, taken.tenant);
  await expect(page.locator("#tenant-error")).toHaveText(`The tenant name "${taken.tenant}" is taken; choose another.`);

  // A taken email is refused without confirming that someone has an account with it.
  await fill(taken.email, fresh.password, fresh.tenant);
  await expect(page.locator("#email-error")).toHaveText(EMAIL_UNAVAILABLE);
  await page.screenshot({ path: test.info().outputPath("sign-up-errors.png") });

  // An empty form: every field's problem at once, each under its field, none above the form.
  await page.reload();
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#email-error")).toHaveText(/^Email: /);
  await expect(page.locator("#password-error")).toHaveText(/^Password/);
  await expect(page.locator("#tenant-error")).toHaveText(/tenant name/i);
  await expect(page.getByLabel("Tenant name")).toHaveAttribute("aria-invalid", "true");

  // Nothing was half-created: the fresh tenant name is still free.
  await fill(fresh.email, fresh.password, fresh.tenant);
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("an expired or invalid session sends the user to sign in with a message", async ({ page, context }) => {
  // Set before any page loads: a loaded page's session check would clear the bad cookie first.
  await context.addCookies([{ name: "next-auth.session-token", value: "expired.or.tampered", domain: "127.0.0.1", path: "/" }]);
  await page.goto("/dashboard/settings");
  await expect(page).toHaveURL(/\/sign-in\?reason=expired&callbackUrl=%2Fdashboard%2Fsettings$/);
  await expect(page.getByText("Your session has expired. Sign in again to continue.")).toBeVisible();
});

test("the API answers bad sign-up input with a 4xx JSON error", async ({ request }) => {
  const bad = await request.post("/api/v1/signup", { data: { email: "x", password: "y", tenant: "z" } });
  expect(bad.status()).toBe(422);
  expect((await bad.json()).error).toMatchObject({ code: "UNPROCESSABLE", field: "email" });
  const notJson = await request.post("/api/v1/signup", { data: Buffer.from("{oops"), headers: { "content-type": "application/json" } });
  expect(notJson.status()).toBe(400);
  expect((await notJson.json()).error.message).toBe("Request body must be valid JSON");

  // A taken email or tenant name: 409, naming the field and what to do (the email's answer does not
  // say an account exists; with both taken, it is about the public tenant name).
  const taken = newAccount();
  const headers = { "x-forwarded-for": addressOf(taken) };
  expect((await request.post("/api/v1/signup", { data: taken, headers })).status()).toBe(201);
  const fresh = newAccount();
  for (const [data, error] of [
    [{ ...fresh, email: taken.email }, { code: "CONFLICT", field: "email", message: EMAIL_UNAVAILABLE }],
    [{ ...fresh, email: taken.email.toUpperCase() }, { code: "CONFLICT", field: "email", message: EMAIL_UNAVAILABLE }],
    [{ ...fresh, tenant: taken.tenant }, { code: "CONFLICT", field: "tenant", message: `The tenant name "${taken.tenant}" is taken; choose another.` }],
    [{ ...fresh, email: taken.email, tenant: taken.tenant }, { code: "CONFLICT", field: "tenant", message: `The tenant name "${taken.tenant}" is taken; choose another.` }],
  ] as const) {
    const res = await request.post("/api/v1/signup", { data, headers });
    expect({ status: res.status(), type: res.headers()["content-type"] }).toEqual({ status: 409, type: expect.stringContaining("application/json") });
    // `fields`: the message for under the field (these already name their field in words).
    expect((await res.json()).error).toEqual({ ...error, fields: { [error.field]: error.message } });
  }
  // Nothing was half-created by the refused ones.
  expect((await request.post("/api/v1/signup", { data: fresh, headers })).status()).toBe(201);
});

test("the API answers a wrong password and an expired or tampered session cookie without a session", async ({ playwright, request, baseURL }) => {
  const account = newAccount();
  const headers = { "x-forwarded-for": addressOf(account) };
  const client = await playwright.request.newContext({ baseURL });
  expect((await client.post("/api/v1/signup", { data: account, headers })).status()).toBe(201);
  const signIn = async (password: string) => {
    const { csrfToken } = (await (await client.get("/api/auth/csrf")).json()) as { csrfToken: string };
    return client.post("/api/auth/callback/credentials", { form: { csrfToken, email: account.email, password, json: "true" }, headers, maxRedirects: 0 });
  };
  const sessionCookie = async () => (await client.storageState()).cookies.find((c) => c.name === "next-auth.session-token");
  const setsSession = (res: { headersArray(): { name: string; value: string }[] }) =>
    res.headersArray().some((h) => h.name.toLowerCase() === "set-cookie" && h.value.startsWith("next-auth.session-token="));

  // next-auth answers a refused sign-in with 401 and, as JSON, where its form would go next: the
  // error page carrying our message. No session cookie is set.
  const wrong = await signIn("not-the-password-1");
  expect({ status: wrong.status(), type: wrong.headers()["content-type"] }).toEqual({ status: 401, type: expect.stringContaining("application/json") });
  expect(await wrong.json()).toEqual({ url: expect.stringMatching(/\/api\/auth\/error\?error=Wrong%20email%20or%20password\.$/) });
  expect(setsSession(wrong)).toBe(false);
  expect(await sessionCookie()).toBeUndefined();
  expect((await client.get("/api/v1/apps")).status()).toBe(401);

  const right = await signIn(account.password);
  expect(right.status()).toBe(200);
  expect(setsSession(right)).toBe(true);
  const session = await sessionCookie();
  expect(session).toBeDefined();
  expect((await client.get("/api/v1/apps")).status()).toBe(200);
  await client.dispose();

  // The console's signing secret (npm start keeps a generated one in the data directory).
  const secret = process.env.NEXTAUTH_SECRET ?? (await readFile(path.join(process.env.E2E_DATA_DIR!, "auth-secret"), "utf8")).trim();
  const claims = await decode({ token: session!.value, secret });
  expect(claims).toMatchObject({ email: account.email, tenantName: account.tenant });
  const appsWith = (cookie: string) => request.get("/api/v1/apps", { headers: { cookie: `next-auth.session-token=${cookie}` } });
  const middle = Math.floor(session!.value.length / 2);
  const tampered = session!.value.slice(0, middle) + (session!.value[middle] === "A" ? "B" : "A") + session!.value.slice(middle + 1);
  for (const cookie of [await encode({ token: claims!, secret, maxAge: -60 }), tampered]) {
    const res = await appsWith(cookie);
    expect({ status: res.status(), type: res.headers()["content-type"] }).toEqual({ status: 401, type: expect.stringContaining("application/json") });
    expect((await res.json()).error).toMatchObject({ code: "UNAUTHORIZED", message: expect.stringMatching(/^Sign in to the console/) });
  }
  // The same claims sealed with a lifetime left are accepted: only the expiry or the tampering was refused.
  expect((await appsWith(await encode({ token: claims!, secret, maxAge: 3600 }))).status()).toBe(200);
});
