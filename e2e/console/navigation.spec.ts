// Where am I: on every console page exactly one sidebar link is marked current, the section the
// page belongs to; and every page below a section shows the same breadcrumb trail (Apps / <app>).
import { expect, test } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
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


// Next's default prefetches every visible link twice over (its route tree, then an empty answer:
// our pages have no loading boundary) and the click fetches the page anyway. The sidebar instead
// prefetches a route once, whole, when the pointer comes to its link, and the click uses that.
test("each sidebar route is prefetched once, on intent, and the click needs no request of its own", async ({ page }) => {
  test.setTimeout(120_000);
  await signUpViaApi(page);
  const dataRequests: string[] = [];
  const treeRequests: string[] = [];
  page.on("request", (r) => {
    const h = r.headers();
    if (h["rsc"] !== "1") return;
    const path = new URL(r.url()).pathname;
    if (h["next-router-segment-prefetch"]) treeRequests.push(path);
    else dataRequests.push(path);
  });
  const count = (list: string[], path: string) => list.filter((p) => p === path).length;

  await page.goto("/dashboard/tokens");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.waitForLoadState("networkidle");
  const nav = page.getByRole("navigation", { name: "Main" });
  const linkedInPage = await page.locator("main a[href]").evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  const sidebar = await nav.getByRole("link").evaluateAll((as) => as.map((a) => ({ path: new URL((a as HTMLAnchorElement).href).pathname, name: a.textContent!.trim() })));
  const others = sidebar.filter((s) => s.path !== "/dashboard/tokens");
  expect(others.length).toBeGreaterThanOrEqual(5);
  // Nothing of the sidebar is fetched until someone shows an intent to go there.
  for (const { path } of others.filter((s) => !linkedInPage.includes(s.path))) {
    expect(count(dataRequests, path) + count(treeRequests, path), `${path} prefetched before any intent`).toBe(0);
  }

  for (const { path, name } of others) {
    const link = nav.getByRole("link", { name, exact: true });
    const before = count(dataRequests, path);
    // Pointer in, out and in again, then keyboard focus: one prefetch all the same.
    await link.hover();
    await page.getByRole("heading", { level: 1 }).hover();
    await link.hover();
    await link.focus();
    await expect.poll(() => count(dataRequests, path), { message: `${path} prefetched on intent` }).toBe(before + 1);
    await page.waitForLoadState("networkidle");
    expect(count(dataRequests, path), `${path} prefetched more than once`).toBe(before + 1);
    expect(count(treeRequests, path), `${path} route tree fetched more than once`).toBeLessThanOrEqual(1);

    await link.click();
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    await expect(nav.locator('[aria-current="page"]')).toHaveText(name);
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
    await page.waitForLoadState("networkidle");
    expect(count(dataRequests, path), `the click on ${name} fetched the page again`).toBe(before + 1);
  }
});
