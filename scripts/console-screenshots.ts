// Re-makes the screenshots in docs/console.md: the dashboard, the IDE and the logs at 390 px and
// 1440 px, in Debian's Chromium (e2e/support/chromium.ts). Needs a console build (`npx next build`).
// Starts its own platform on a fresh embedded database (or uses CONSOLE_URL, e.g. a running
// `npm start`), signs up a demo tenant, creates the "Static site + API" app, publishes and deploys
// it from the IDE, sends a few requests, then photographs each page.
//   npx tsx --no-cache scripts/console-screenshots.ts   # → docs/images/console-*.png (no-cache: tsx must not reuse another checkout's compiled copy)
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import { chromiumLaunchOptions } from "../e2e/support/chromium";
import { fetchApp } from "../lib/testing/app-fetch";
import { startPlatform, type Platform } from "../lib/testing/platform";

const ROOT = path.resolve(import.meta.dirname, "..");
const OUT = path.join(ROOT, "docs", "images");
const APP = "site";
const WIDTHS = [
  { name: "1440", width: 1440, height: 900 },
  { name: "390", width: 390, height: 844 },
];

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function signUp(page: Page, base: string) {
  const id = Math.random().toString(16).slice(2, 8);
  const account = { email: `demo-${id}@example.com`, password: `demo-${id}-Secure`, tenant: `acme-${id}` };
  const res = await page.request.post(`${base}/api/v1/signup`, { data: account, headers: { "x-forwarded-for": "10.9.9.9" } });
  if (res.status() !== 201) throw new Error(`sign-up failed: ${res.status()} ${await res.text()}`);
  const csrf = (await (await page.request.get(`${base}/api/auth/csrf`)).json()) as { csrfToken: string };
  await page.request.post(`${base}/api/auth/callback/credentials`, { form: { csrfToken: csrf.csrfToken, email: account.email, password: account.password, json: "true" }, headers: { "x-forwarded-for": "10.9.9.9" } });
}

async function main() {
  let platform: Platform | null = null;
  let dataDir: string | null = null;
  let base = process.env.CONSOLE_URL?.replace(/\/$/, "");
  if (!base) {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "wc-shots-"));
    platform = await startPlatform({ dataDir });
    base = platform.consoleUrl;
  }
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signUp(page, base);
    const created = await page.request.post(`${base}/api/v1/apps`, { data: { name: APP, template: "static-site-as" }, headers: { origin: base } });
    if (created.status() !== 201) throw new Error(`create app: ${created.status()} ${await created.text()}`);

    // Publish and deploy from the IDE, as a person would.
    await page.goto(`${base}/dashboard/apps/${APP}/editor`);
    await page.getByTestId("preview-status").waitFor({ timeout: 180_000 });
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await page.getByTestId("hash-match").waitFor();
    await page.getByRole("button", { name: "Deploy 0.0.1" }).click();
    await page.getByTestId("deployed").waitFor();
    const { app } = (await (await page.request.get(`${base}/api/v1/apps/${APP}`)).json()) as { app: { gatewayUrl: string } };
    await until(async () => (await fetchApp(`${app.gatewayUrl}assets/index.html`)).status === 200, "the deployed site");
    for (const p of ["", "assets/index.html", "assets/style.css", "assets/app.js", "api/hello?name=Ada", "api/hello", "api/missing", "nothing-here"]) await fetchApp(`${app.gatewayUrl}${p}`);

    await mkdir(OUT, { recursive: true });
    for (const size of WIDTHS) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.goto(`${base}/dashboard/apps/${APP}`);
      await page.getByTestId("live-default").waitFor();
      await page.screenshot({ path: path.join(OUT, `console-dashboard-${size.name}.png`), fullPage: size.width < 1024 });

      // The IDE on the static site's page, styled and after "Call the API".
      await page.goto(`${base}/dashboard/apps/${APP}/editor`);
      // Below 1024 px the preview is a tab of its own.
      if (size.width < 1024) await page.getByRole("tab", { name: "Preview" }).click();
      await page.getByTestId("preview-status").waitFor({ timeout: 180_000 });
      await page.getByLabel("Path", { exact: true }).fill("/assets/index.html");
      await page.getByRole("button", { name: "Run", exact: true }).click();
      const site = page.frameLocator('[data-testid="preview-html"]');
      await site.getByRole("button", { name: "Call the API" }).click();
      await site.getByText('"Hello, static site!"').waitFor();
      await page.screenshot({ path: path.join(OUT, `console-ide-${size.name}.png`) });

      await page.goto(`${base}/dashboard/logs?app=${APP}`);
      await page.getByTestId("log-line").first().waitFor();
      await page.screenshot({ path: path.join(OUT, `console-logs-${size.name}.png`), fullPage: size.width < 1024 });
    }
    console.log(`screenshots written to ${path.relative(ROOT, OUT)}/`);
  } finally {
    await browser.close();
    await platform?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
