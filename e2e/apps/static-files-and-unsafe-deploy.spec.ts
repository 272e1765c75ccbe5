import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { fetchApp } from "../../lib/testing/app-fetch";

// static-file.wasm answers GET /<name> with /app/<name>; the manifest mounts static/ at /assets,
// which the gateway serves itself without running the module.
const MODULE = path.resolve(import.meta.dirname, "../../fixtures/wasm/static-file.wasm");
const MANIFEST = "static:\n  - path: /assets\n    dir: static\n";
const NOTES = "Release notes: served by the module from /app/notes.txt.\n";
const STYLE = "h1 { color: #4f46e5; }\n";
const INDEX = { "1.0.0": "<!doctype html><h1>Site v1</h1>\n", "1.0.1": "<!doctype html><h1>Site v2</h1>\n" };
const APP_JS = "console.log('only in 1.0.1');\n";
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

type SiteVersion = keyof typeof INDEX;

/** A folder named static/ as a user would pick it: 1.0.1 changes index.html and adds app.js. */
function writeSite(root: string, version: SiteVersion): string {
  const dir = path.join(root, version, "static");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "index.html"), INDEX[version]);
  writeFileSync(path.join(dir, "style.css"), STYLE);
  if (version === "1.0.1") writeFileSync(path.join(dir, "app.js"), APP_JS);
  return dir;
}

/** What the live default route serves, read back through the API (the rows the gateway routes by). */
async function liveVersion(page: Page): Promise<string | undefined> {
  const res = await page.request.get("/api/v1/apps/site");
  const { app } = (await res.json()) as { app: { routes: { route: string; version: string }[] } };
  return app.routes.find((r) => r.route === "")?.version;
}

async function deploymentCount(page: Page): Promise<number> {
  const res = await page.request.get("/api/v1/apps/site/deployments");
  return ((await res.json()) as { deployments: unknown[] }).deployments.length;
}

/** Polls the real gateway until /assets/ answers the given version's index.html (deploys land within a second). */
async function expectGatewayServes(gatewayUrl: string, version: SiteVersion) {
  await expect
    .poll(async () => {
      const res = await fetchApp(`${gatewayUrl}assets/index.html`);
      return `${res.status} ${await res.text()}`;
    })
    .toBe(`200 ${INDEX[version]}`);
}

test("upload static files in the publish form, serve them through the gateway, confirm deploy and rollback across changed files", async ({ page, baseURL }) => {
  const account = await signUpViaApi(page);
  // Creating the app is setup, not the story.
  expect((await page.request.post("/api/v1/apps", { data: { name: "site" }, headers: { origin: baseURL! } })).status()).toBe(201);
  const root = mkdtempSync(path.join(os.tmpdir(), "wc-e2e-site-"));
  const notes = path.join(root, "notes.txt");
  writeFileSync(notes, NOTES);

  await page.goto("/dashboard/apps/site");
  const gatewayUrl = (await page.getByTestId("app-gateway-url").textContent())!;
  expect(gatewayUrl).toMatch(new RegExp(`^http://site--${account.tenant}\\.localhost:\\d+/$`));

  // Publish two versions through the form: the module, the manifest, one loose file and a folder.
  for (const version of ["1.0.0", "1.0.1"] as const) {
    await page.getByLabel("Version", { exact: true }).fill(version);
    await page.getByLabel("Module (.wasm or .wat)").setInputFiles(MODULE);
    await page.getByLabel("Manifest (wasmcompute.yaml, optional)").setInputFiles({ name: "wasmcompute.yaml", mimeType: "application/yaml", buffer: Buffer.from(MANIFEST) });
    await page.getByLabel("Static files (optional)").setInputFiles(notes);
    await page.getByLabel("Static folder (optional)").setInputFiles(writeSite(root, version));
    await page.getByRole("button", { name: "Publish" }).click();
    await expect(page.getByRole("status").filter({ hasText: `Published ${version}` })).toBeVisible();
    await expect(page.getByTestId(`version-${version}`)).toBeVisible();
  }
  rmSync(root, { recursive: true, force: true });
  // Its static files differ from 1.0.0's, which taints 1.0.1 (lib/versions/publish-version.ts).
  await expect(page.getByTestId("version-1.0.0")).not.toContainText("tainted");
  await expect(page.getByTestId("version-1.0.1")).toContainText("tainted");

  // The version page lists what was uploaded, with the folder's paths kept.
  await page.getByTestId("version-1.0.1").getByRole("link", { name: "1.0.1" }).click();
  await expect(page.getByRole("heading", { name: /site 1\.0\.1/ })).toBeVisible();
  const files = page.getByRole("table", { name: "Files" });
  await expect(files.getByRole("row")).toHaveCount(5); // header + 4 files
  for (const [file, content, type] of [
    ["notes.txt", NOTES, "text/plain"],
    ["static/index.html", INDEX["1.0.1"], "text/html"],
    ["static/style.css", STYLE, "text/css"],
    ["static/app.js", APP_JS, "javascript"],
  ]) {
    const row = files.getByRole("row").filter({ has: page.getByRole("link", { name: file, exact: true }) });
    await expect(row).toContainText(type!);
    await expect(row.getByTitle(sha256(content!))).toBeVisible();
  }
  await page.screenshot({ path: test.info().outputPath("version-files.png"), fullPage: true });
  await page.getByRole("link", { name: "site", exact: true }).click();
  await expect(page.getByRole("heading", { name: "site", exact: true })).toBeVisible();

  // Nothing is live yet, so the first deploy asks nothing.
  await page.getByRole("button", { name: "Deploy 1.0.0" }).click();
  await expect(page.getByTestId("live-default")).toHaveText("1.0.0");
  await expectGatewayServes(gatewayUrl, "1.0.0");
  const asset = await fetchApp(`${gatewayUrl}assets/index.html`);
  expect(asset.headers.get("content-type")).toMatch(/^text\/html/);
  expect(asset.headers.get("etag")).toBe(`"${sha256(INDEX["1.0.0"])}"`);
  expect((await fetchApp(`${gatewayUrl}assets/app.js`)).status).toBe(404);
  // The loose file sits at the root of /app, where the module reads it.
  const fromModule = await fetchApp(`${gatewayUrl}notes.txt`);
  expect(fromModule.status).toBe(200);
  expect(await fromModule.text()).toBe(NOTES);

  // Deploying 1.0.1 over it asks first, and nothing changes until confirmed.
  const confirmDeploy = page.getByRole("alertdialog", { name: "Confirm unsafe deploy" });
  await expect(confirmDeploy).toHaveCount(0);
  await page.getByRole("button", { name: "Deploy 1.0.1" }).click();
  await expect(confirmDeploy).toBeVisible();
  await expect(confirmDeploy).toContainText("Version 1.0.1 has different static files from the live 1.0.0");
  await expect(confirmDeploy).not.toContainText("--unsafe");
  expect(await liveVersion(page)).toBe("1.0.0");
  expect(await deploymentCount(page)).toBe(1);
  await expect(page.getByTestId("live-default")).toHaveText("1.0.0");
  await confirmDeploy.screenshot({ path: test.info().outputPath("confirm-deploy-dialog.png") });
  await page.screenshot({ path: test.info().outputPath("confirm-deploy-page.png"), fullPage: true });

  await confirmDeploy.getByRole("button", { name: "Cancel" }).click();
  await expect(confirmDeploy).toHaveCount(0);
  expect(await liveVersion(page)).toBe("1.0.0");
  expect(await deploymentCount(page)).toBe(1);
  // A deploy reaches the gateways within a second; after longer than that it still serves 1.0.0.
  await page.waitForTimeout(1500);
  await page.reload();
  await expect(page.getByTestId("live-default")).toHaveText("1.0.0");
  await expectGatewayServes(gatewayUrl, "1.0.0");

  // Asked again and confirmed: 1.0.1 goes live, files and all.
  await page.getByRole("button", { name: "Deploy 1.0.1" }).click();
  await expect(confirmDeploy).toBeVisible();
  expect(await liveVersion(page)).toBe("1.0.0");
  await confirmDeploy.getByRole("button", { name: "Deploy 1.0.1 anyway" }).click();
  await expect(confirmDeploy).toHaveCount(0);
  await expect(page.getByTestId("live-default")).toHaveText("1.0.1");
  expect(await liveVersion(page)).toBe("1.0.1");
  await expectGatewayServes(gatewayUrl, "1.0.1");
  const appJs = await fetchApp(`${gatewayUrl}assets/app.js`);
  expect(appJs.status).toBe(200);
  expect(await appJs.text()).toBe(APP_JS);

  // Rolling back across the change asks too.
  const confirmRollback = page.getByRole("alertdialog", { name: "Confirm unsafe rollback" });
  await page.getByRole("button", { name: "Roll back", exact: true }).click();
  await page.getByRole("alertdialog", { name: "Roll back to 1.0.0?" }).getByRole("button", { name: "Roll back to 1.0.0" }).click();
  await expect(confirmRollback).toBeVisible();
  await expect(confirmRollback).toContainText("Version 1.0.0 has different static files from the live 1.0.1");
  expect(await liveVersion(page)).toBe("1.0.1");
  await confirmRollback.getByRole("button", { name: "Cancel" }).click();
  await expect(confirmRollback).toHaveCount(0);
  expect(await liveVersion(page)).toBe("1.0.1");
  expect(await deploymentCount(page)).toBe(2);

  await page.getByRole("button", { name: "Roll back", exact: true }).click();
  await page.getByRole("alertdialog", { name: "Roll back to 1.0.0?" }).getByRole("button", { name: "Roll back to 1.0.0" }).click();
  await expect(confirmRollback).toBeVisible();
  await confirmRollback.screenshot({ path: test.info().outputPath("confirm-rollback-dialog.png") });
  expect(await liveVersion(page)).toBe("1.0.1");
  await confirmRollback.getByRole("button", { name: "Roll back anyway" }).click();
  await expect(confirmRollback).toHaveCount(0);
  await expect(page.getByTestId("live-default")).toHaveText("1.0.0");
  await expectGatewayServes(gatewayUrl, "1.0.0");
  await expect.poll(async () => (await fetchApp(`${gatewayUrl}assets/app.js`)).status).toBe(404);

  // From the live version's page, the link beside a static file leads to it on the gateway.
  await page.getByTestId("version-1.0.0").getByRole("link", { name: "1.0.0" }).click();
  await page.getByRole("table", { name: "Files" }).getByRole("link", { name: "static/index.html" }).click();
  const preview = page.getByRole("region", { name: "Preview of static/index.html" });
  await expect(preview.locator("pre")).toHaveText(INDEX["1.0.0"]);
  const servedAt = (await preview.getByRole("link", { name: "/assets/index.html" }).getAttribute("href"))!;
  expect(servedAt).toBe(`${gatewayUrl}assets/index.html`);
  const served = await fetchApp(servedAt);
  expect(await served.text()).toBe(INDEX["1.0.0"]);
});
