// A new app from the "Static site + API" template: the preview answers /assets/… from the draft's
// static/ files (as the gateway's `static:` serving does) and /api/hello from the compiled module.
import { expect, test, type Page } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { FIRST_COMPILE_MS, createAppAndOpenEditor, previewBodyBytes } from "./support";

async function previewPath(page: Page, path: string) {
  await page.getByLabel("Path", { exact: true }).fill(path);
  await page.getByRole("button", { name: "Run", exact: true }).click();
}

async function draftFile(page: Page, app: string, file: string): Promise<string> {
  const source = ((await (await page.request.get(`/api/v1/apps/${app}/source`)).json()) as { source: { files: Record<string, string> } }).source;
  return source.files[file]!;
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
    await expect(page.frameLocator('[data-testid="preview-html"]').getByRole("heading", { name: "Static site + API" })).toBeVisible();
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
  });
}
