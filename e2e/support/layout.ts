import { expect, type Page } from "@playwright/test";

/** Neither the page nor the main column is wider than the screen. */
export async function expectNoSidewaysScroll(page: Page, where: string) {
  const m = await page.evaluate(() => {
    const main = document.querySelector("main");
    return { doc: document.documentElement.scrollWidth, width: window.innerWidth, main: main ? main.scrollWidth - main.clientWidth : 0 };
  });
  expect(m.doc, `${where}: page ${m.doc}px wide on a ${m.width}px screen`).toBeLessThanOrEqual(m.width);
  expect(m.main, `${where}: main column overflows by ${m.main}px`).toBeLessThanOrEqual(0);
}
