// Teams (docs/teams.md): an owner invites a developer from the Team page; the invitee opens the
// one-time link signed out, signs up, comes back to the link and joins; as a developer they deploy,
// but neither the console nor the API lets them change environment variables or tokens; the owner
// removes them, and their very next request is refused.
import path from "node:path";
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { addressOf, newAccount, signUpViaApi } from "../support/accounts";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/wasm");

test("owner invites, developer joins and deploys but cannot touch secrets or tokens, owner removes them", async ({ page, browser, baseURL }) => {
  test.setTimeout(180_000);
  const owner = await signUpViaApi(page);
  const origin = { origin: baseURL! };
  expect((await page.request.post("/api/v1/apps", { data: { name: "shop" }, headers: origin })).status()).toBe(201);
  const publish = await page.request.post("/api/v1/apps/shop/versions", {
    headers: origin,
    multipart: { version: "1.0.0", module: { name: "app.wasm", mimeType: "application/wasm", buffer: await readFile(path.join(FIXTURES, "hello-wat.wasm")) } },
  });
  expect(publish.status()).toBe(201);
  expect((await page.request.put("/api/v1/apps/shop/env/API_KEY", { data: { value: "sk_owner", secret: true }, headers: origin })).status()).toBe(200);

  // The owner invites from the Team page and gets the one-time link.
  const dev = newAccount();
  await page.goto("/dashboard");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Team" }).click();
  await expect(page.getByRole("heading", { name: "Team", level: 1 })).toBeVisible();
  await expect(page.getByTestId(`member-${owner.email}`)).toContainText("you");
  await page.getByLabel("Email").fill(dev.email);
  await page.getByLabel("Role", { exact: true }).selectOption("developer");
  await page.getByRole("button", { name: "Create invitation" }).click();
  const link = (await page.getByTestId("invitation-link").textContent())!;
  expect(link).toMatch(new RegExp(`^${baseURL}/invite/wci_[A-Za-z0-9_-]{43}$`));
  await expect(page.getByRole("button", { name: "Copy link" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Pending invitations" })).toContainText(dev.email);
  await page.screenshot({ path: test.info().outputPath("team-page.png"), fullPage: true });

  // The invitee, in a browser of their own, signed out: sign up from the link and come back to it.
  const devContext = await browser.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": addressOf(dev) } });
  const devPage = await devContext.newPage();
  await devPage.goto(link);
  await expect(devPage.getByRole("heading", { name: `Join ${owner.tenant}` })).toBeVisible();
  await expect(devPage.getByRole("main")).toContainText(`as developer, with the email ${dev.email}`);
  await devPage.getByRole("link", { name: "Create an account to accept" }).click();
  await devPage.getByLabel("Email").fill(dev.email);
  await devPage.getByLabel("Password").fill(dev.password);
  await devPage.getByLabel("Tenant name").fill(dev.tenant);
  await devPage.getByRole("button", { name: "Create account" }).click();
  await expect(devPage).toHaveURL(link);
  await devPage.getByRole("button", { name: `Accept and join ${owner.tenant}` }).click();
  await expect(devPage.getByTestId("tenant-name")).toHaveText(owner.tenant);
  await expect(devPage.getByTestId("tenant-role")).toHaveText("developer");
  // They belong to two tenants now (their own and the owner's): the switcher offers both.
  await expect(devPage.getByLabel("Switch tenant")).toHaveValue(owner.tenant);

  // A developer deploys.
  await devPage.goto("/dashboard/apps/shop");
  await devPage.getByRole("button", { name: "Deploy 1.0.0" }).click();
  await expect(devPage.getByTestId("live-default")).toHaveText("1.0.0");
  await expect(devPage.getByRole("button", { name: "Delete app" })).toHaveCount(0);

  // But changes no variable or secret, and no token: not offered in the console, refused by the API.
  await devPage.goto("/dashboard/apps/shop/settings");
  await expect(devPage.getByTestId("env-API_KEY")).toContainText("••••••••");
  await expect(devPage.getByRole("note")).toContainText("Your role is developer");
  await expect(devPage.getByRole("button", { name: "Save" })).toHaveCount(0);
  await expect(devPage.getByRole("button", { name: "Delete API_KEY" })).toHaveCount(0);
  const devOrigin = { origin: baseURL! };
  const setEnv = await devPage.request.put("/api/v1/apps/shop/env/API_KEY", { data: { value: "sk_dev", secret: true }, headers: devOrigin });
  expect(setEnv.status()).toBe(403);
  expect((await setEnv.json()).error.message).toContain("is developer; this action needs the role owner or admin");
  await devPage.goto("/dashboard/tokens");
  await expect(devPage.getByRole("note")).toContainText("Owners and admins manage the tenant's API tokens");
  expect((await devPage.request.post("/api/v1/tokens", { data: { name: "mine", scope: "deploy" }, headers: devOrigin })).status()).toBe(403);
  expect((await devPage.request.get("/api/v1/tokens")).status()).toBe(403);

  // The owner removes them.
  await page.reload();
  await expect(page.getByTestId(`member-${dev.email}`)).toContainText("developer");
  await page.getByRole("button", { name: `Remove ${dev.email}` }).click();
  await page.getByRole("button", { name: "Remove member" }).click();
  await expect(page.getByTestId(`member-${dev.email}`)).toHaveCount(0);

  // Their very next request is refused, in the API and in the console.
  const refused = await devPage.request.get("/api/v1/apps");
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.message).toContain(`You are no longer a member of the tenant "${owner.tenant}"`);
  await devPage.goto("/dashboard/apps");
  await expect(devPage.getByRole("heading", { name: `You are no longer a member of ${owner.tenant}` })).toBeVisible();
  await expect(devPage.getByRole("main")).not.toContainText("shop");
  // A client-side navigation too shows no tenant data (pages also refuse on their own: lib/auth/session.ts).
  await devPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Datastores" }).click();
  await expect(devPage).toHaveURL(/\/dashboard\/datastores$/);
  await expect(devPage.getByRole("heading", { name: `You are no longer a member of ${owner.tenant}` })).toBeVisible();
  await expect(devPage.getByRole("main")).not.toContainText("shop");
  await devPage.screenshot({ path: test.info().outputPath("removed-member.png"), fullPage: true });
  // The switcher takes them back to their own tenant, where they are the owner.
  await devPage.getByLabel("Switch tenant").selectOption(dev.tenant);
  await expect(devPage.getByTestId("tenant-name")).toHaveText(dev.tenant);
  await expect(devPage.getByTestId("tenant-role")).toHaveText("owner");
  expect((await devPage.request.get("/api/v1/apps")).status()).toBe(200);
  await devContext.close();
});
