// A new app from the "Static site + API" template: the preview answers /assets/… from the draft's
// static/ files (as the gateway's `static:` serving does) and /api/hello from the compiled module;
// once published and deployed, the live gateway (plain HTTP from the test) answers every one of
// those paths with the preview's status, content type and bytes.
import { expect, test, type Page } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { FIRST_COMPILE_MS, createAppAndOpenEditor, fetchGatewayUntil, previewBodyBytes } from "./support";
import { fetchApp } from "../../lib/testing/app-fetch";

async function previewPath(page: Page, path: string) {
  await page.getByLabel("Path", { exact: true }).fill(path);
  await page.getByRole("button", { name: "Run", exact: true }).click();
}

async function draftFile(page: Page, app: string, file: string): Promise<string> {
  const source = ((await (await page.request.get(`/api/v1/apps/${app}/source`)).json()) as { source: { files: Record<string, string> } }).source;
  return source.files[file]!;
}

/** Runs `path` in the preview and fetches it from the live gateway: same status, type, bytes (and ETag, Location). */
async function expectPreviewMatchesLive(page: Page, liveBase: string, path: string) {
  const live = await fetchApp(`${liveBase}${path}`, { redirect: "manual" });
  const body = Buffer.from(await live.arrayBuffer());
  await previewPath(page, path);
  const preview = page.getByTestId("preview");
  await expect(preview, path).toHaveAttribute("data-body-base64", body.toString("base64"));
  await expect(page.getByTestId("preview-status"), path).toHaveText(String(live.status));
  for (const name of ["content-type", "etag", "location"]) {
    const value = live.headers.get(name);
    if (value) await expect(preview, `${path} ${name}`).toContainText(`${name}: ${value}`);
  }
}

for (const [language, template, apiBody] of [
  ["AssemblyScript", "static-site-as", { message: "Hello, world!", from: "AssemblyScript" }],
  ["WebAssembly text", "static-site-wat", { message: "Hello from the WAT API!", method: "GET" }],
] as const) {
  test(`${language}: the static site + API template previews its page and its API`, async ({ page }) => {
    test.setTimeout(300_000);
    await signUpViaApi(page);
    const app = `site-${template.endsWith("as") ? "as" : "wat"}`;
    await createAppAndOpenEditor(page, app, template);
    await expect(page.getByTestId("language")).toHaveText(language);
    const files = page.getByRole("navigation", { name: "Files" });
    for (const f of ["static/index.html", "static/style.css", "static/app.js", "wasmcompute.yaml"]) await expect(files).toContainText(f);

    // The app's root is the module: it redirects to the site below the app's mount point.
    await expect(page.getByTestId("preview-status")).toHaveText("302", { timeout: FIRST_COMPILE_MS });

    // /assets/index.html comes from static/ with its content type, and renders.
    await previewPath(page, "/assets/index.html");
    await expect(page.getByTestId("preview-status")).toHaveText("200");
    await expect(page.getByTestId("preview")).toContainText("text/html; charset=utf-8");
    const site = page.frameLocator('[data-testid="preview-html"]');
    await expect(site.getByRole("heading", { name: "Static site + API" })).toBeVisible();
    // The page is styled by static/style.css (answered by the preview and inlined)…
    await expect(site.getByRole("heading", { name: "Static site + API" })).toHaveCSS("color", "rgb(67, 56, 202)");
    await expect(site.locator("body")).toHaveCSS("background-color", "rgb(248, 250, 252)");
    // …and its app.js calls the app's own API through the preview runtime.
    await site.getByRole("button", { name: "Call the API" }).click();
    await expect(site.locator("#result")).toContainText("200");
    const answer = JSON.parse(((await site.locator("#result").textContent()) ?? "").replace(/^200 /, "")) as Record<string, string>;
    expect(answer).toMatchObject({ message: apiBody.message.startsWith("Hello, world") ? "Hello, static site!" : apiBody.message });
    await page.screenshot({ path: test.info().outputPath("site-preview.png") });
    await expect(page.getByTestId("save-state")).toHaveText("Draft saved", { timeout: 15_000 });
    expect((await previewBodyBytes(page)).toString("utf8")).toBe(await draftFile(page, app, "static/index.html"));
    await page.screenshot({ path: test.info().outputPath("index-html.png") });

    await previewPath(page, "/assets/style.css");
    await expect(page.getByTestId("preview")).toContainText("text/css; charset=utf-8");
    await expect(page.getByTestId("preview-body")).toContainText("background: #f8fafc;");

    // /api/hello is the compiled module's JSON.
    await previewPath(page, "/api/hello");
    await expect(page.getByTestId("preview-status")).toHaveText("200");
    await expect(page.getByTestId("preview")).toContainText("application/json");
    expect(JSON.parse((await previewBodyBytes(page)).toString("utf8"))).toEqual(apiBody);
    await page.screenshot({ path: test.info().outputPath("api-json.png") });

    // Publish the draft (module, manifest and static/) and deploy it: the gateway agrees with the preview.
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await expect(page.getByTestId("hash-match")).toHaveText("✓ match");
    await page.getByRole("button", { name: "Deploy 0.0.1" }).click();
    await expect(page.getByTestId("deployed")).toBeVisible();
    const gatewayUrl = ((await (await page.request.get(`/api/v1/apps/${app}`)).json()) as { app: { gatewayUrl: string } }).app.gatewayUrl;
    const liveBase = gatewayUrl.replace(/\/$/, "");
    const index = Buffer.from(await draftFile(page, app, "static/index.html"));
    expect((await fetchGatewayUntil(`${liveBase}/assets/index.html`, index)).equals(index)).toBe(true);
    for (const path of ["/assets/index.html", "/assets/style.css", "/assets/app.js", "/assets/", "/assets", "/assets/missing.png", "/api/hello", "/api/hello?name=Ada", "/"]) {
      await expectPreviewMatchesLive(page, liveBase, path);
    }
  });
}
