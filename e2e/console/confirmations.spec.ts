// Destructive actions ask first, in one in-page dialog: a click alone changes nothing, Escape and
// Cancel leave things as they were, focus stays inside the dialog, and only the confirm button acts.
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/wasm");

/** Tab a few times around the dialog: focus never leaves it. */
async function expectFocusTrapped(page: Page, dialogName: string) {
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press(i % 2 ? "Shift+Tab" : "Tab");
    const inside = await page.evaluate((name) => {
      const d = [...document.querySelectorAll("dialog[open]")].find((el) => el.textContent?.includes(name));
      return !!d && d.contains(document.activeElement);
    }, dialogName);
    expect(inside).toBe(true);
  }
}

test("revoking a token asks first; Escape and Cancel keep it working", async ({ page, request }) => {
  await signUpViaApi(page);
  await page.goto("/dashboard/tokens");
  await page.getByLabel("Name").fill("ci");
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByTestId("new-token-secret").textContent())!.trim();
  const auth = { authorization: `Bearer ${secret}` };
  const dialog = page.getByRole("alertdialog", { name: "Revoke ci?" });

  await page.getByRole("button", { name: "Revoke ci" }).click();
  await expect(dialog).toBeVisible();
  // The safe choice has the focus, so Enter right away changes nothing.
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await expectFocusTrapped(page, "Revoke ci?");
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Revoke ci" })).toBeFocused();
  expect((await request.get("/api/v1/apps", { headers: auth })).status()).toBe(200);

  await page.getByRole("button", { name: "Revoke ci" }).click();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  expect((await request.get("/api/v1/apps", { headers: auth })).status()).toBe(200);

  await page.getByRole("button", { name: "Revoke ci" }).click();
  await dialog.getByRole("button", { name: "Revoke token" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole("cell", { name: "revoked" })).toBeVisible();
  expect((await request.get("/api/v1/apps", { headers: auth })).status()).toBe(401);
});

test("rolling back asks first and names the version it goes back to", async ({ page }) => {
  await signUpViaApi(page);
  await page.goto("/dashboard/apps");
  await page.getByLabel("App name").fill("twice");
  await page.getByRole("button", { name: "Create app" }).click();
  await expect(page).toHaveURL(/\/dashboard\/apps\/twice$/);
  for (const [version, module] of [["0.0.1", "hello-c.wasm"], ["0.0.2", "hello-rust.wasm"]] as const) {
    await page.getByLabel("Version", { exact: true }).fill(version);
    await page.getByLabel("Module (.wasm or .wat)").setInputFiles(path.join(FIXTURES, module));
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByRole("button", { name: `Deploy ${version}` }).click();
    await expect(page.getByTestId("live-default")).toHaveText(version);
  }

  const rollBack = page.getByRole("button", { name: "Roll back", exact: true });
  const dialog = page.getByRole("alertdialog", { name: "Roll back to 0.0.1?" });
  await rollBack.click();
  await expect(dialog).toContainText("stops serving 0.0.2 and serves 0.0.1");
  await expectFocusTrapped(page, "Roll back to 0.0.1?");
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("live-default")).toHaveText("0.0.2");

  await rollBack.click();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await page.reload();
  await expect(page.getByTestId("live-default")).toHaveText("0.0.2");

  await rollBack.click();
  await dialog.getByRole("button", { name: "Roll back to 0.0.1" }).click();
  await expect(page.getByTestId("live-default")).toHaveText("0.0.1");
});

test("deleting a file in the editor asks first", async ({ page }) => {
  await signUpViaApi(page);
  await page.goto("/dashboard/apps");
  await page.getByLabel("App name").fill("files");
  await page.getByLabel("Template").selectOption("hello-wat");
  await page.getByRole("button", { name: "Create app" }).click();
  await page.getByRole("link", { name: "Open editor" }).click();
  const files = page.getByRole("navigation", { name: "Files" });
  await expect(files).toContainText("main.wat", { timeout: 30_000 });
  const dialog = page.getByRole("alertdialog", { name: "Delete main.wat?" });

  await files.getByRole("button", { name: "main.wat", exact: true }).hover();
  await files.getByRole("button", { name: "Delete main.wat" }).click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(files).toContainText("main.wat");

  await files.getByRole("button", { name: "main.wat", exact: true }).hover();
  await files.getByRole("button", { name: "Delete main.wat" }).click();
  await dialog.getByRole("button", { name: "Delete main.wat" }).click();
  await expect(files).not.toContainText("main.wat");
});
