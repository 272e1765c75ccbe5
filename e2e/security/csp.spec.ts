// The console under its Content-Security-Policy: every page (the IDE with Monaco, its compile and
// preview workers included) runs without a single violation, and tenant HTML shown in the
// preview can neither run script nor reach the console's cookies.
import { expect, test, type Page } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { watStrings } from "../../lib/templates/wat-strings";
import { manifestText, withAppName } from "../../lib/templates/templates";
import { fetchApp } from "../../lib/testing/app-fetch";

interface Problems {
  violations: string[];
  consoleErrors: string[];
}

/** Collects CSP violation events (in every frame that can run script) and console/page errors. */
async function watchForProblems(page: Page): Promise<Problems> {
  const problems: Problems = { violations: [], consoleErrors: [] };
  await page.exposeBinding("__reportCspViolation", (_source, text: string) => {
    problems.violations.push(text);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __reportCspViolation(t: string): void }).__reportCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.consoleErrors.push(msg.text());
  });
  page.on("pageerror", (error) => problems.consoleErrors.push(`pageerror: ${error.message}`));
  return problems;
}

test("every console page, the IDE included, works under the CSP with no violation", async ({ page }) => {
  test.setTimeout(240_000);
  const problems = await watchForProblems(page);

  const signIn = await page.goto("/sign-in");
  const policy = signIn!.headers()["content-security-policy"] ?? "";
  expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic' 'wasm-unsafe-eval'/);
  for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"]) expect(policy).toContain(directive);
  expect(policy).not.toContain("'unsafe-eval'");
  // A fresh nonce per response, and Next.js's own scripts carry it.
  const again = (await page.request.get("/sign-in")).headers()["content-security-policy"];
  expect(again).not.toBe(policy);
  const nonce = /'nonce-([^']+)'/.exec(policy)![1]!;
  const scripts = await page.locator("script").evaluateAll((els) => els.map((s) => (s as HTMLScriptElement).nonce));
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.every((n) => n === nonce)).toBe(true);

  await signUpViaApi(page);
  for (const path of ["/dashboard", "/dashboard/apps", "/dashboard/datastores", "/dashboard/logs", "/dashboard/usage", "/dashboard/tokens", "/dashboard/settings"]) {
    const res = await page.goto(path);
    expect(res!.headers()["content-security-policy"], path).toContain("'strict-dynamic'");
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  }

  // The IDE: Monaco, its language workers, the WAT compiler and the wasm preview.
  await page.goto("/dashboard/apps");
  await page.getByLabel("App name").fill("csp-app");
  await page.getByLabel("Template").selectOption("hello-wat");
  await page.getByRole("button", { name: "Create app" }).click();
  await page.getByRole("link", { name: "Open editor" }).click();
  await expect(page.locator(".monaco-editor").first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("preview-body")).toHaveText("Hello from WAT!", { timeout: 120_000 });
  await expect(page.locator(".monaco-editor .view-lines")).toContainText("Hello world in WebAssembly text");
  await page.screenshot({ path: test.info().outputPath("editor-under-csp.png") });

  // Publish and deploy from the IDE, serve one request, then every page of the app with data.
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByTestId("published")).toContainText("0.0.1");
  await page.getByRole("button", { name: "Deploy 0.0.1" }).click();
  await expect(page.getByTestId("deployed")).toBeVisible();
  const { app } = (await (await page.request.get("/api/v1/apps/csp-app")).json()) as { app: { gatewayUrl: string } };
  await expect.poll(async () => (await fetchApp(app.gatewayUrl)).status, { timeout: 15_000 }).toBe(200);
  for (const path of ["", "/versions/0.0.1", "/metrics", "/kv", "/settings"]) {
    await page.goto(`/dashboard/apps/csp-app${path}`);
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  }
  await page.goto("/dashboard/logs");
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  await page.goto("/dashboard/usage");
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  await page.waitForLoadState("networkidle");

  expect(problems.violations).toEqual([]);
  expect(problems.consoleErrors).toEqual([]);
});

test("tenant HTML in the preview runs in an opaque origin: it cannot reach the console's page or cookies", async ({ page, baseURL }) => {
  test.setTimeout(240_000);
  const problems = await watchForProblems(page);
  await signUpViaApi(page);
  const app = "html-app";
  expect((await page.request.post("/api/v1/apps", { data: { name: app, template: "hello-wat" }, headers: { origin: baseURL! } })).status()).toBe(201);

  // A module whose HTML tries to reach out of the preview frame.
  const attack =
    "<!doctype html><title>tenant</title><p id=tenant>tenant page</p>" +
    "<script>document.title='script ran';try{parent.document.title='stolen:'+parent.document.cookie}catch(e){document.title='blocked:'+e.name}</script>";
  const s = watStrings(64, { headers: "Content-Type: text/html; charset=utf-8\n\n", body: attack });
  const source = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
${s.data}
  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start")
    (call $write ${s.ref("headers")})
    (call $write ${s.ref("body")}))
)
`;
  const saved = await page.request.put(`/api/v1/apps/${app}/source`, {
    data: { revision: 0, files: { "wasmcompute.yaml": withAppName(manifestText(null), app), "main.wat": source } },
    headers: { origin: baseURL! },
  });
  expect(saved.status(), await saved.text()).toBe(200);

  await page.goto(`/dashboard/apps/${app}/editor`);
  const frameElement = page.getByTestId("preview-html");
  await expect(frameElement).toBeVisible({ timeout: 120_000 });
  // Sandboxed with scripts only (the page's own code runs, as on the gateway) and no
  // allow-same-origin: an opaque origin, so reaching into the console's page throws.
  expect(await frameElement.getAttribute("sandbox")).toBe("allow-scripts");
  const frame = await (await frameElement.elementHandle())!.contentFrame();
  await expect.poll(async () => frame!.locator("#tenant").textContent()).toBe("tenant page");
  await expect.poll(async () => frame!.evaluate(() => [window.origin, document.title])).toEqual(["null", "blocked:SecurityError"]);
  // Its document forbids every network request: the preview's MessagePort is its only way out.
  expect(await frame!.evaluate(() => fetch("https://example.com/").then(() => "reached", (e: Error) => e.name))).toBe("TypeError");
  expect(await frame!.evaluate(() => { try { return document.cookie; } catch (e) { return (e as Error).name; } })).toBe("SecurityError");
  expect(await page.title()).not.toContain("stolen");
  expect(await page.title()).toContain("editor");

  // And were script to run, the session cookie is HttpOnly: no page script can read it.
  const session = (await page.context().cookies()).find((c) => c.name.endsWith("next-auth.session-token"));
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  expect(await page.evaluate(() => document.cookie)).not.toContain("session-token");
  await page.screenshot({ path: test.info().outputPath("html-preview.png") });

  expect(problems.violations).toEqual([]);
  expect(problems.consoleErrors).toEqual([]);
});
