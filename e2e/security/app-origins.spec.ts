// Tenants apart in the browser (issue #13 items 1 and 2), in Chromium, at the URLs the console
// gives: tenant A's app and tenant B's app are different origins, so a page of B can neither read
// A's responses with the visitor's A cookies nor put a service worker over A's URLs, whatever
// Service-Worker-Allowed B's module sends.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { newAccount, signUpViaApi } from "../support/accounts";
import { fetchApp } from "../../lib/testing/app-fetch";
import { fixedResponseModule } from "../../lib/testing/fixed-response-module";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/wasm");

// Every path of B's app answers this script, asking for the whole origin as its scope.
const SERVICE_WORKER = [
  "Content-Type: text/javascript",
  "Service-Worker-Allowed: /",
  "",
  'self.addEventListener("install", () => self.skipWaiting());',
  'self.addEventListener("activate", (e) => e.waitUntil(self.clients.claim()));',
  'self.addEventListener("fetch", (e) => e.respondWith(new Response("owned by the lure", { headers: { "content-type": "text/plain" } })));',
  "",
].join("\n");

/** Creates, publishes and deploys an app for the signed-in tenant; its URL as the console gives it. */
async function deployApp(page: Page, baseURL: string, name: string, module: Uint8Array): Promise<string> {
  const headers = { origin: baseURL };
  expect((await page.request.post("/api/v1/apps", { data: { name }, headers })).status()).toBe(201);
  const published = await page.request.post(`/api/v1/apps/${name}/versions`, {
    headers,
    multipart: { version: "1.0.0", module: { name: "app.wasm", mimeType: "application/wasm", buffer: Buffer.from(module) } },
  });
  expect(published.status(), await published.text()).toBe(201);
  expect((await page.request.post(`/api/v1/apps/${name}/deployments`, { data: { version: "1.0.0" }, headers })).status()).toBe(201);
  const { app } = (await (await page.request.get(`/api/v1/apps/${name}`)).json()) as { app: { gatewayUrl: string } };
  await expect.poll(async () => (await fetchApp(app.gatewayUrl)).status, { timeout: 15_000 }).toBe(200);
  return app.gatewayUrl;
}

test("a page of tenant B's app cannot read tenant A's app with the visitor's A cookies, nor take A's URLs with a service worker", async ({ page, context, baseURL }) => {
  // Tenant A: "bank", the echo module, which answers with the request it got (cookies included).
  const a = await signUpViaApi(page);
  const bankUrl = await deployApp(page, baseURL!, "bank", await readFile(path.join(FIXTURES, "echo.wasm")));
  // Tenant B: "lure", whose every answer is the service worker above.
  const b = await signUpViaApi(page, newAccount());
  const lureUrl = await deployApp(page, baseURL!, "lure", await fixedResponseModule({ _start: SERVICE_WORKER }));

  // Each app is its own origin: <app>--<tenant>.localhost, never a path under a shared host.
  expect(new URL(bankUrl).hostname).toBe(`bank--${a.tenant}.localhost`);
  expect(new URL(lureUrl).hostname).toBe(`lure--${b.tenant}.localhost`);

  // The visitor is signed in to A's app: a session cookie of A's, HttpOnly and SameSite=Strict.
  const secret = `bank-session-${randomBytes(8).toString("hex")}`;
  await context.addCookies([{ name: "bank_session", value: secret, url: bankUrl, httpOnly: true, sameSite: "Strict" }]);
  await page.goto(bankUrl);
  expect(JSON.parse((await page.locator("body").textContent())!).env.HTTP_COOKIE).toContain(secret);

  // On B's page, B's script asks for A's app with the visitor's credentials, and frames it.
  await page.goto(lureUrl);
  const fetched = await page.evaluate(async (url) => {
    try {
      const res = await fetch(url, { credentials: "include" });
      return `read: ${await res.text()}`;
    } catch (e) {
      return `blocked: ${(e as Error).name}`;
    }
  }, bankUrl);
  expect(fetched).toBe("blocked: TypeError");
  const framed = await page.evaluate(async (url) => {
    const frame = document.createElement("iframe");
    frame.src = url;
    await new Promise((resolve) => {
      frame.onload = resolve;
      document.body.append(frame);
    });
    try {
      return frame.contentDocument ? `read: ${frame.contentDocument.body.textContent}` : "blocked: no document";
    } catch (e) {
      return `blocked: ${(e as Error).name}`;
    }
  }, bankUrl);
  expect(framed).toMatch(/^blocked/);
  expect(await page.evaluate(() => document.cookie)).not.toContain(secret);

  // B registers its worker with the widest scope the browser allows it: its own origin, not A's.
  const scope = await page.evaluate(async (script) => {
    const registration = await navigator.serviceWorker.register(script, { scope: "/" });
    await navigator.serviceWorker.ready;
    return registration.scope;
  }, new URL("sw.js", lureUrl).href);
  expect(scope).toBe(new URL("/", lureUrl).href);
  // It works where it may: it now answers B's own URLs.
  await page.goto(new URL("anything", lureUrl).href);
  await expect(page.locator("body")).toHaveText("owned by the lure");

  // A's URLs are still A's: no worker controls them, and A answers (with the visitor's cookie).
  await page.goto(bankUrl);
  expect(await page.evaluate(() => navigator.serviceWorker.controller)).toBeNull();
  const body = (await page.locator("body").textContent())!;
  expect(body).not.toContain("owned by the lure");
  expect(JSON.parse(body).env.HTTP_COOKIE).toContain(secret);
  await page.screenshot({ path: test.info().outputPath("bank-after-lure.png") });
});
