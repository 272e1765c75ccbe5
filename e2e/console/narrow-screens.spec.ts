// The console on a phone (390×844) and a tablet (768×1024): no page scrolls sideways, the
// navigation is a drawer behind a menu button, and the IDE's panes are tabs — edit, preview,
// publish and deploy all reachable.
import { expect, test } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { consolePages } from "../support/console-data";
import { expectNoSidewaysScroll } from "../support/layout";
import { fetchApp } from "../../lib/testing/app-fetch";
import { FIRST_COMPILE_MS } from "../editor/support";

for (const viewport of [{ width: 390, height: 844 }, { width: 768, height: 1024 }]) {
  test(`every page at ${viewport.width}×${viewport.height}: drawer navigation, IDE tabs, nothing off-screen`, async ({ page, baseURL }) => {
    test.setTimeout(300_000);
    await page.setViewportSize(viewport);
    await signUpViaApi(page);
    const app = "pocket";
    expect((await page.request.post("/api/v1/apps", { data: { name: app, template: "hello-wat" }, headers: { origin: baseURL! } })).status()).toBe(201);

    // The IDE: Code is the open tab; edit, then the Preview tab shows the result; Publish and Deploy are on screen.
    await page.goto(`/dashboard/apps/${app}/editor`);
    const tabs = page.getByRole("tablist", { name: "Editor panes" });
    await expect(tabs.getByRole("tab", { name: "Code" })).toHaveAttribute("aria-selected", "true");
    await expect(page.locator(".monaco-editor").first()).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole("complementary", { name: "Preview" })).toBeHidden();
    // Edit: find "WAT!" in the source, and type over it.
    await page.locator(".monaco-editor .view-lines").first().click();
    await page.keyboard.press("Control+F");
    await page.keyboard.type("WAT!");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Escape");
    await page.keyboard.type("Wat!");
    await tabs.getByRole("tab", { name: "Preview" }).click();
    await expect(page.getByRole("complementary", { name: "Preview" })).toBeVisible();
    await expect(page.getByTestId("preview-body")).toHaveText("Hello from Wat!", { timeout: FIRST_COMPILE_MS });
    await expectNoSidewaysScroll(page, "editor (preview tab)");
    await tabs.getByRole("tab", { name: "Files" }).click();
    await expect(page.getByRole("navigation", { name: "Files" })).toBeVisible();
    await page.getByRole("navigation", { name: "Files" }).getByRole("button", { name: "wasmcompute.yaml", exact: true }).click();
    await expect(tabs.getByRole("tab", { name: "Code" })).toHaveAttribute("aria-selected", "true");
    const publish = page.getByRole("button", { name: "Publish", exact: true });
    await expect(publish).toBeInViewport();
    await publish.click();
    await expect(page.getByTestId("hash-match")).toHaveText("✓ match");
    await page.getByRole("button", { name: "Deploy 0.0.1" }).click();
    await expect(page.getByTestId("deployed")).toBeVisible();
    await expect(page.getByRole("link", { name: "Visit", exact: true })).toBeVisible();
    await page.screenshot({ path: test.info().outputPath("editor.png") });
    await expectNoSidewaysScroll(page, "editor");

    // A request for the logs and metrics pages to show.
    const { app: view } = (await (await page.request.get(`/api/v1/apps/${app}`)).json()) as { app: { gatewayUrl: string } };
    await expect.poll(async () => (await fetchApp(view.gatewayUrl)).status, { timeout: 15_000 }).toBe(200);

    // Every console page but the editor, which the story above went through pane by pane.
    const pages = consolePages(app).filter((path) => !path.endsWith("/editor"));
    for (const path of pages) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 }).first(), path).toBeVisible();
      // The sidebar is folded away: its links are not on screen until the menu opens.
      await expect(page.getByRole("navigation", { name: "Main" }), path).toBeHidden();
      await page.waitForLoadState("networkidle");
      await expectNoSidewaysScroll(page, path);
    }
    await page.goto(`/dashboard/logs?app=${app}`);
    await expect(page.getByTestId("log-line").first()).toBeVisible({ timeout: 15_000 });
    await expectNoSidewaysScroll(page, "logs with a request");

    // Navigation through the drawer: open, Escape closes; open, follow a link, it closes.
    await page.goto("/dashboard");
    const menu = page.getByRole("button", { name: "Open navigation" });
    const drawer = page.getByRole("dialog", { name: "Navigation" });
    await menu.click();
    await expect(drawer.getByRole("navigation", { name: "Main" })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(drawer).toBeHidden();
    await menu.click();
    await drawer.getByRole("link", { name: "API tokens" }).click();
    await expect(page).toHaveURL(/\/dashboard\/tokens$/);
    await expect(drawer).toBeHidden();
    await expect(page.getByRole("heading", { name: "API tokens" })).toBeVisible();
    await menu.click();
    await drawer.getByRole("link", { name: "Apps" }).click();
    await expect(page).toHaveURL(/\/dashboard\/apps$/);
    await expect(page.getByRole("link", { name: app })).toBeVisible();
  });
}
