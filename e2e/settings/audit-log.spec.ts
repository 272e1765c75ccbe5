// The audit log story: a user signs in, creates an API token and revokes it, then finds each of
// those events, with who did it and to what, in Settings.
import { expect, test } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";

test("sign-in, token created and token revoked show up in the audit log", async ({ page }) => {
  const account = await signUpViaApi(page);

  await page.goto("/dashboard/tokens");
  await page.getByLabel("Name").fill("ci-bot");
  await page.getByLabel("Scope").selectOption("read");
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByTestId("new-token-secret").textContent())!.trim();
  const prefix = secret.slice(0, 10);
  await page.getByRole("button", { name: "Revoke ci-bot" }).click();
  await page.getByRole("alertdialog", { name: "Revoke ci-bot?" }).getByRole("button", { name: "Revoke token" }).click();
  await expect(page.getByRole("row", { name: /ci-bot/ })).toContainText("revoked");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  const log = page.getByRole("region", { name: "Audit log" });
  await expect(log.getByRole("columnheader")).toHaveText(["Time", "Actor", "Action", "Target", "IP"]);
  const rows = log.getByRole("row");
  // Newest first: revoked, created, signed in, account created.
  await expect(rows.nth(1)).toContainText("Token revoked");
  await expect(rows.nth(1)).toContainText(`token:${prefix}`);
  await expect(rows.nth(1)).toContainText(account.email);
  await expect(rows.nth(2)).toContainText("Token created");
  await expect(rows.nth(2)).toContainText(`token:${prefix}`);
  await expect(rows.nth(3)).toContainText("Signed in");
  await expect(rows.nth(3)).toContainText(`user:${account.email}`);
  await expect(rows.nth(4)).toContainText("Account created");
  await expect(rows.nth(4)).toContainText(`tenant:${account.tenant}`);
  await expect(rows).toHaveCount(5);
  await page.screenshot({ path: test.info().outputPath("audit-log.png"), fullPage: true });

  // The same events through the API, a page at a time.
  const api = await page.request.get("/api/v1/audit?limit=2");
  const body = (await api.json()) as { events: { action: string }[]; nextCursor: string | null };
  expect(body.events.map((e) => e.action)).toEqual(["token.revoked", "token.created"]);
  const older = (await (await page.request.get(`/api/v1/audit?limit=2&before=${body.nextCursor}`)).json()) as { events: { action: string }[]; nextCursor: string | null };
  expect(older.events.map((e) => e.action)).toEqual(["auth.sign_in", "auth.sign_up"]);
  expect(older.nextCursor).toBeNull();
});
