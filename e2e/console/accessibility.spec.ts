// axe-core over every console page, signed out and signed in with data on every page, at 1440 px
// and at 390 px: no serious or critical violation of WCAG 2.1 A/AA.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { consolePages, tenantWithData } from "../support/console-data";

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(" ")}${n.failureSummary ? ` [${n.failureSummary.replace(/\s+/g, " ").slice(0, 160)}]` : ""}`).slice(0, 5).join("; ")}`);
}

for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
  test(`no serious or critical accessibility violation on any page at ${viewport.width} px`, async ({ page, baseURL }) => {
    test.setTimeout(300_000);
    await page.setViewportSize(viewport);
    const found: Record<string, string[]> = {};

    for (const path of ["/sign-in", "/sign-up"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
      const v = await seriousViolations(page);
      if (v.length) found[path] = v;
    }

    const { app } = await tenantWithData(page, baseURL!);
    for (const path of consolePages(app)) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 }).first(), path).toBeVisible();
      if (path.endsWith("/editor")) await expect(page.getByTestId("preview-body")).toHaveText("Hello from WAT!", { timeout: 120_000 });
      await page.waitForLoadState("networkidle");
      const v = await seriousViolations(page);
      if (v.length) found[path] = v;
    }
    // The navigation drawer and a confirmation dialog, open.
    if (viewport.width < 1024) {
      await page.goto("/dashboard");
      await page.getByRole("button", { name: "Open navigation" }).click();
      await expect(page.getByRole("dialog", { name: "Navigation" })).toBeVisible();
      const v = await seriousViolations(page);
      if (v.length) found["navigation drawer"] = v;
    }
    await page.goto("/dashboard/tokens");
    await page.getByRole("button", { name: "Revoke ci" }).click();
    await expect(page.getByRole("alertdialog", { name: "Revoke ci?" })).toBeVisible();
    const v = await seriousViolations(page);
    if (v.length) found["confirm dialog"] = v;

    expect(found).toEqual({});
  });
}
