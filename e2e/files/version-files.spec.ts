import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { makePng } from "./png";

const MODULE = readFileSync(path.resolve(import.meta.dirname, "../../fixtures/wasm/app-files.wasm"));
const LOGO = makePng(48, 48, (x, y) => [40 + x * 4, 80 + y * 3, 200 - x * 2]);
const NOTES = "Release notes\n\n<script>alert('not run')</script> stays text.\nSecond line.\n";
// Script in an SVG must never run against the console: not in the preview, not when opened.
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" onload="alert(1)"><script>alert(2)</script><circle cx="20" cy="20" r="18" fill="#6366f1"/></svg>';
const sha256 = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");

test("publish a version with files through the API, then list and preview them on the version page", async ({ page, baseURL }) => {
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await signUpViaApi(page);
  const headers = { origin: baseURL! };
  expect((await page.request.post("/api/v1/apps", { data: { name: "site" }, headers })).status()).toBe(201);
  const form = new FormData();
  form.set("version", "1.0.0");
  form.set("module", new Blob([MODULE], { type: "application/wasm" }), "app.wasm");
  form.set("manifest", new Blob(["files:\n  - notes.txt\n  - static\nstatic:\n  - path: /assets\n    dir: static\n"]), "wasmcompute.yaml");
  form.append("files", new Blob([NOTES]), "notes.txt");
  form.append("files", new Blob([LOGO as Uint8Array<ArrayBuffer>]), "static/logo.png");
  form.append("files", new Blob(["<h1>hi</h1>\n"]), "static/index.html");
  form.append("files", new Blob([SVG]), "static/icon.svg");
  const published = await page.request.post("/api/v1/apps/site/versions", { multipart: form, headers });
  expect(published.status(), await published.text()).toBe(201);

  // From the app page to the version page, as a person would.
  await page.goto("/dashboard/apps/site");
  await page.getByTestId("version-1.0.0").getByRole("link", { name: "1.0.0" }).click();
  await expect(page.getByRole("heading", { name: /site 1\.0\.0/ })).toBeVisible();

  const table = page.getByRole("table", { name: "Files" });
  await expect(table.getByRole("row")).toHaveCount(5); // header + 4 files
  const logoRow = table.getByRole("row").filter({ hasText: "static/logo.png" });
  await expect(logoRow).toContainText("image/png");
  // The exact size in bytes is in the cell's title; the cell shows it rounded (KiB).
  await expect(logoRow.getByTitle(`${LOGO.byteLength.toLocaleString("en-US")} bytes`)).toContainText("KiB");
  await expect(logoRow.getByTitle(sha256(LOGO))).toBeVisible();
  const notesRow = table.getByRole("row").filter({ hasText: "notes.txt" });
  await expect(notesRow).toContainText("text/plain; charset=utf-8");
  await expect(notesRow.getByTitle(sha256(NOTES))).toBeVisible();
  await expect(notesRow).toContainText(`${Buffer.byteLength(NOTES)} B`);

  // Text: shown as text in a <pre>, its markup escaped.
  await table.getByRole("link", { name: "notes.txt" }).click();
  const notesPreview = page.getByRole("region", { name: "Preview of notes.txt" });
  await expect(notesPreview.locator("pre")).toHaveText(NOTES);
  await expect(notesPreview).toContainText(`sha256 ${sha256(NOTES)}`);
  await page.screenshot({ path: test.info().outputPath("text-preview.png"), fullPage: true });

  // Image: loaded from the API and decoded by the browser.
  await table.getByRole("link", { name: "static/logo.png" }).click();
  const image = page.getByRole("region", { name: "Preview of static/logo.png" }).getByRole("img", { name: "static/logo.png" });
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBe(48);
  await page.screenshot({ path: test.info().outputPath("image-preview.png"), fullPage: true });

  // SVG: drawn through <img>, its script inert; opened directly it is a sandboxed download.
  await table.getByRole("link", { name: "static/icon.svg" }).click();
  const svg = page.getByRole("region", { name: "Preview of static/icon.svg" }).getByRole("img", { name: "static/icon.svg" });
  await expect.poll(() => svg.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBe(40);
  const raw = await page.request.get(`/api/v1/apps/site/versions/1.0.0/files/static/icon.svg`);
  expect(raw.headers()["content-disposition"]).toMatch(/^attachment/);
  expect(raw.headers()["content-security-policy"]).toMatch(/sandbox/);
  expect(dialogs).toEqual([]);
});
