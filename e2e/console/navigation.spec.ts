// Where am I: on every console page exactly one sidebar link is marked current, the section the
// page belongs to; and every page below a section shows the same breadcrumb trail (Apps / <app>).
import { expect, test } from "@playwright/test";
import { consolePages, tenantWithData } from "../support/console-data";

const SECTIONS: [RegExp, string][] = [
  [/^\/dashboard$/, "Overview"],
  [/^\/dashboard\/apps(\/|$)/, "Apps"],
  [/^\/dashboard\/datastores/, "Datastores"],
  [/^\/dashboard\/logs/, "Logs"],
  [/^\/dashboard\/usage/, "Usage & billing"],
  [/^\/dashboard\/team/, "Team"],
  [/^\/dashboard\/tokens/, "API tokens"],
  [/^\/dashboard\/settings/, "Settings"],
];

test("one current sidebar section and the same breadcrumbs on every page", async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  const { app } = await tenantWithData(page, baseURL!);
  for (const path of consolePages(app)) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 }).first(), path).toBeVisible();
    const pathname = new URL(path, baseURL).pathname;
    const section = SECTIONS.find(([pattern]) => pattern.test(pathname))![1];
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.locator('[aria-current="page"]'), path).toHaveCount(1);
    await expect(nav.locator('[aria-current="page"]'), path).toHaveText(section);

    const crumbs = page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link");
    if (pathname === `/dashboard/apps/${app}`) await expect(crumbs, path).toHaveText(["Apps"]);
    else if (pathname.startsWith(`/dashboard/apps/${app}/`)) await expect(crumbs, path).toHaveText(["Apps", app]);
    else await expect(crumbs, path).toHaveCount(0);
  }
});

