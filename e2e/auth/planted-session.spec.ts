// Issue #13 item 6, session fixation and login CSRF: a page on another origin (an app on the
// gateway, or another host name of the same site) tries to make the visitor's browser use the
// console signed in as the attacker, who would then see whatever the visitor does there (code,
// secrets, tokens). Two ways in:
//   - login CSRF: a form on the attacker's page posts the attacker's credentials to the console's
//     sign-in, with a CSRF cookie/token pair the attacker planted (cookies ignore ports, so any
//     page on the console's host name can set the console's cookies);
//   - a planted session cookie: a sibling host (apps.example.com) sets the attacker's session
//     cookie for the whole site (Domain=example.com), which the console (console.example.com)
//     receives. Behind https the console's cookie is `__Host-` prefixed, which only the console's
//     own host can set, so the planted one is not the console's cookie.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { addressOf, newAccount } from "../support/accounts";
import { chromiumLaunchOptions } from "../support/chromium";
import { startPlatform, type Platform } from "../support/platform";
import { freePort } from "../../lib/testing/platform";

const listen = (server: http.Server | https.Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
const close = (server: http.Server | https.Server) => new Promise<void>((resolve) => server.close(() => resolve()));
const htmlPage = (body: string) => `<!doctype html><html><head><meta charset="utf-8"><title>prize</title></head><body>${body}</body></html>`;

// Chromium resolves every *.example.com to this machine (the https story's host names); the
// certificate there is self-signed.
test.use({
  ignoreHTTPSErrors: true,
  launchOptions: { ...chromiumLaunchOptions, args: [...chromiumLaunchOptions.args, "--host-resolver-rules=MAP *.example.com 127.0.0.1"] },
});

test.describe("login CSRF from a page on the console's host name", () => {
  test("a form posting the attacker's credentials does not sign the visitor in", async ({ page, context, playwright, baseURL }) => {
    const consoleOrigin = new URL(baseURL!).origin;
    // The attacker: an account, and a CSRF token/cookie pair next-auth gave them (valid in any browser).
    const attacker = newAccount();
    const attackerClient = await playwright.request.newContext({ baseURL });
    expect((await attackerClient.post("/api/v1/signup", { data: attacker, headers: { "x-forwarded-for": addressOf(attacker) } })).status()).toBe(201);
    const { csrfToken } = (await (await attackerClient.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const csrfCookie = (await attackerClient.storageState()).cookies.find((c) => c.name.endsWith("next-auth.csrf-token"))!;
    await attackerClient.dispose();

    // The attacker's page, on the console's host name but another port (as the gateway's apps are
    // on a default install): plants the CSRF cookie, then posts the attacker's credentials.
    const field = (name: string, value: string) => `<input type="hidden" name="${name}" value="${value.replace(/"/g, "&quot;")}">`;
    const evil = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(
        htmlPage(
          `<form method="POST" action="${consoleOrigin}/api/auth/callback/credentials">` +
            field("csrfToken", csrfToken) + field("email", attacker.email) + field("password", attacker.password) + field("callbackUrl", `${consoleOrigin}/dashboard`) +
            `</form><script>document.cookie = ${JSON.stringify(`${csrfCookie.name}=${csrfCookie.value}; path=/`)}; document.forms[0].submit();</script>`,
        ),
      );
    });
    const evilPort = await listen(evil);
    try {
      const posted = page.waitForResponse((r) => r.url().endsWith("/api/auth/callback/credentials") && r.request().method() === "POST");
      await page.goto(`http://127.0.0.1:${evilPort}/`);
      const answer = await posted;
      // No session cookie, and the console does not open as the attacker's.
      const cookies = await context.cookies(consoleOrigin);
      expect(cookies.filter((c) => c.name.endsWith("next-auth.session-token"))).toEqual([]);
      await page.goto(`${consoleOrigin}/dashboard`);
      await expect(page).toHaveURL(`${consoleOrigin}/sign-in`);
      // Refused before next-auth looked at it: the post came from another origin.
      expect(answer.status()).toBe(403);
    } finally {
      await close(evil);
    }
  });
});

test.describe("a session cookie planted by a sibling host of an https console", () => {
  let dir: string;
  let platform: Platform | undefined;
  const servers: (http.Server | https.Server)[] = [];

  test.afterAll(async () => {
    for (const s of servers) await close(s);
    await platform?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("is not the console's cookie: the visitor is not signed in as the attacker", async ({ page, context }) => {
    test.setTimeout(240_000);
    dir = mkdtempSync(path.join(os.tmpdir(), "wc-planted-"));
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=example.com",
      "-addext", "subjectAltName=DNS:console.example.com,DNS:apps.example.com",
      "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"),
    ], { stdio: "ignore" });
    const tls = { key: readFileSync(path.join(dir, "key.pem")), cert: readFileSync(path.join(dir, "cert.pem")) };

    // The console behind a TLS-terminating proxy at https://console.example.com:<port>, as SECURITY.md asks.
    const proxyPort = await freePort();
    const consoleOrigin = `https://console.example.com:${proxyPort}`;
    platform = await startPlatform({ dataDir: path.join(dir, "data"), env: { NEXTAUTH_URL: consoleOrigin } });
    const upstream = new URL(platform.consoleUrl);
    const proxy = https.createServer(tls, (req, res) => {
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, "x-forwarded-proto": "https" } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
          answer.pipe(res);
        },
      );
      forward.on("error", () => res.destroy());
      req.pipe(forward);
    });
    servers.push(proxy);
    await new Promise<void>((resolve) => proxy.listen(proxyPort, "127.0.0.1", () => resolve()));

    // The attacker signs in to the console themselves and keeps the session cookie's value.
    const attacker = newAccount();
    const direct = platform.consoleUrl;
    expect((await fetch(`${direct}/api/v1/signup`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(attacker) })).status).toBe(201);
    const csrf = await fetch(`${direct}/api/auth/csrf`);
    const csrfCookie = csrf.headers.getSetCookie()[0]!.split(";")[0]!;
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const signedIn = await fetch(`${direct}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
      body: new URLSearchParams({ csrfToken, email: attacker.email, password: attacker.password, json: "true" }),
    });
    const session = signedIn.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.includes("next-auth.session-token="));
    expect(session).toBeDefined();
    const sessionValue = session!.slice(session!.indexOf("=") + 1);
    // The attacker's cookie works for the attacker.
    expect((await fetch(`${direct}/api/v1/apps`, { headers: { cookie: session! } })).status).toBe(200);

    // The attacker's page on a sibling host plants that session under every name the console
    // might read, for the whole site.
    const plant = ["__Host-", "__Secure-", ""].map(
      (prefix) => `document.cookie = ${JSON.stringify(`${prefix}next-auth.session-token=${sessionValue}; Domain=example.com; Path=/; Secure; SameSite=Lax`)};`,
    );
    const apps = https.createServer(tls, (_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(htmlPage(`<p id="done">planted</p><script>${plant.join("\n")}</script>`));
    });
    servers.push(apps);
    const appsPort = await listen(apps);

    await page.goto(`https://apps.example.com:${appsPort}/`);
    await expect(page.locator("#done")).toHaveText("planted");
    // The planted cookies are in the browser and would go to the console…
    const sent = (await context.cookies(consoleOrigin)).filter((c) => c.name.includes("next-auth.session-token"));
    expect(sent.map((c) => c.name).sort()).toEqual(["__Secure-next-auth.session-token", "next-auth.session-token"]);
    // …but none of them is the console's session cookie: the visitor is not signed in (as anyone).
    await page.goto(`${consoleOrigin}/dashboard`);
    await expect(page).toHaveURL(`${consoleOrigin}/sign-in`);
    const apiAnswer = await page.evaluate(async () => (await fetch("/api/v1/apps")).status);
    expect(apiAnswer).toBe(401);

    // The visitor signs up and in for real: their own host-only __Host- cookie, their own tenant,
    // whatever the site-wide cookies beside it say.
    const visitor = newAccount();
    await page.goto(`${consoleOrigin}/sign-up`);
    await page.getByLabel("Email").fill(visitor.email);
    await page.getByLabel("Password").fill(visitor.password);
    await page.getByLabel("Tenant name").fill(visitor.tenant);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(`${consoleOrigin}/dashboard`);
    await expect(page.getByTestId("tenant-name")).toHaveText(visitor.tenant);
    const own = (await context.cookies(consoleOrigin)).find((c) => c.name === "__Host-next-auth.session-token");
    expect(own).toMatchObject({ domain: "console.example.com", path: "/", secure: true, httpOnly: true, sameSite: "Lax" });
  });
});
