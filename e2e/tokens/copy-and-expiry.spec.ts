// API tokens: the one-time secret has a copy button that puts exactly the secret on the clipboard,
// a token can be made to expire (in N days) or not, and the table shows when each was created,
// last used and expires, on a phone too. (The 401 of an expired token: app/api/v1/api.test.ts.)
import { expect, test } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { expectNoSidewaysScroll } from "../support/layout";

const DAY_MS = 86_400_000;

test("create a token that expires in 30 days, copy its secret, use it, see it in the table", async ({ page, context, baseURL }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL! });
  await signUpViaApi(page);
  await page.goto("/dashboard/tokens");

  await page.getByLabel("Name").fill("ci");
  await page.getByLabel("Expires").selectOption({ label: "In 30 days" });
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByTestId("new-token-secret").textContent())!.trim();
  expect(secret).toMatch(/^wc_/);

  await page.getByRole("button", { name: "Copy token" }).click();
  await expect(page.getByText("Copied", { exact: true })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

  // The table's columns, and the row's dates: created now, never used, expiring in 30 days.
  const table = page.getByRole("table");
  await expect(table.getByRole("columnheader")).toHaveText(["Name", "Scope", "Token", "Created", "Last used", "Expires", ""]);
  const row = table.getByRole("row", { name: /ci/ });
  await expect(row.getByRole("cell").nth(4)).toHaveText("never");
  const listed = (await (await page.request.get("/api/v1/tokens")).json()) as { tokens: { name: string; createdAt: string; expiresAt: string | null }[] };
  const ci = listed.tokens.find((t) => t.name === "ci")!;
  const lifetime = Date.parse(ci.expiresAt!) - Date.parse(ci.createdAt);
  expect(Math.round(lifetime / DAY_MS)).toBe(30);
  const shown = (iso: string) => page.evaluate((i) => new Date(i).toLocaleString(), iso);
  await expect(row.getByRole("cell").nth(3)).toHaveText(await shown(ci.createdAt));
  await expect(row.getByRole("cell").nth(5)).toHaveText(await shown(ci.expiresAt!));

  // The copied secret works as a bearer token; the table then shows its last use.
  const used = await page.request.get("/api/v1/apps", { headers: { authorization: `Bearer ${secret}` } });
  expect(used.status()).toBe(200);
  await page.reload();
  await expect(page.getByRole("table").getByRole("row", { name: /ci/ }).getByRole("cell").nth(4)).not.toHaveText("never");

  // Without an expiry, the token never expires.
  await page.getByLabel("Name").fill("laptop");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("new-token-secret")).not.toHaveText(secret);
  await expect(page.getByRole("table").getByRole("row", { name: /laptop/ }).getByRole("cell").nth(5)).toHaveText("never");

  // On a phone the form, the copy button and the table fit; the table scrolls inside its own box.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByRole("button", { name: "Copy token" })).toBeVisible();
  await expectNoSidewaysScroll(page, "tokens at 390 px");
  await page.screenshot({ path: test.info().outputPath("tokens-390.png"), fullPage: true });
});
