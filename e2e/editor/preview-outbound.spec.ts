// Outbound HTTP in the IDE preview: the "Fetch JSON from an API" template, pointed at an API this
// test serves on 127.0.0.1 (playwright.config.ts's operator settings allow 127.0.0.1, for the
// console and the gateway alike), shows the API's answer in the preview; pointed at the cloud's
// metadata address it shows the refusal, word for word what the deployed app then answers on the
// gateway.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { fetchApp } from "../../lib/testing/app-fetch";
import { FIRST_COMPILE_MS, applyEditorTemplate, createAppAndOpenEditor, previewBodyBytes } from "./support";

const APP = "caller";

let upstream: http.Server;
let up: string;

test.beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: 7, title: "answer from the local API", path: req.url }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  up = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  upstream?.closeAllConnections();
  await new Promise((resolve) => upstream?.close(resolve));
});

/** Replaces wasmcompute.yaml in the editor, as a person pasting a new manifest. */
async function typeManifest(page: Page, text: string) {
  await page.getByRole("navigation", { name: "Files" }).getByRole("button", { name: "wasmcompute.yaml", exact: true }).click();
  await expect(page.locator(".monaco-editor .view-lines").first()).toContainText("allowed_hosts");
  await page.locator(".monaco-editor .view-lines").first().click();
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(text);
}

// Flow style: every line starts at column 0, so the editor's auto-indent leaves it as typed.
const manifest = (origin: string, url: string) =>
  ["module: main.wasm", "routes: [{ path: /..., entrypoint: _start }]", "limits: { timeoutMs: 5000 }", `allowed_hosts: ["${origin}"]`, `env: { API_URL: "${url}" }`, ""].join("\n");

test("the preview calls an allowed API through the console, and refuses what the gateway refuses, in the same words", async ({ page }) => {
  test.setTimeout(300_000);
  await signUpViaApi(page);
  await createAppAndOpenEditor(page, APP, "hello-as");
  await expect(page.getByTestId("preview-body")).toHaveText("Hello from AssemblyScript!", { timeout: FIRST_COMPILE_MS });

  await applyEditorTemplate(page, "fetch-json-as");
  await typeManifest(page, manifest(up, `${up}/todos/7`));
  const body = page.getByTestId("preview-body");
  await expect(body).toContainText("answer from the local API", { timeout: 30_000 });
  await expect(page.getByTestId("preview-status")).toHaveText("200");
  expect(JSON.parse((await previewBodyBytes(page)).toString("utf8"))).toEqual({ url: `${up}/todos/7`, status: 200, body: { id: 7, title: "answer from the local API", path: "/todos/7" } });
  // The call's line in the preview's log, as the gateway logs it.
  await expect(page.getByTestId("preview-logs")).toContainText(new RegExp(`outbound GET 127\\.0\\.0\\.1:\\d+ → 200 in \\d+ ms`));
  await page.screenshot({ path: test.info().outputPath("preview-outbound-allowed.png") });

  // The cloud's metadata address: refused whatever allowed_hosts says.
  await typeManifest(page, manifest("http://169.254.169.254", "http://169.254.169.254/latest/meta-data/"));
  await expect(body).toContainText("a cloud-metadata address", { timeout: 30_000 });
  await expect(page.getByTestId("preview-status")).toHaveText("502");
  const refused = (await previewBodyBytes(page)).toString("utf8");
  expect(JSON.parse(refused)).toEqual({
    error: "169.254.169.254 resolves to 169.254.169.254, a cloud-metadata address, which apps may not call (the operator can allow it with GATEWAY_OUTBOUND_ALLOW)",
    code: -2,
  });
  await expect(page.getByTestId("preview-logs")).toContainText("the API call failed: 169.254.169.254 resolves to 169.254.169.254");

  // Published and deployed, the gateway answers the very same bytes.
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByTestId("published")).toContainText("0.0.1");
  await page.getByRole("button", { name: "Deploy 0.0.1" }).click();
  await expect(page.getByTestId("deployed")).toBeVisible();
  const gatewayUrl = ((await (await page.request.get(`/api/v1/apps/${APP}`)).json()) as { app: { gatewayUrl: string } }).app.gatewayUrl;
  let live = { status: 0, text: "" };
  for (const deadline = Date.now() + 15_000; Date.now() < deadline && live.status !== 502; await new Promise((r) => setTimeout(r, 200))) {
    const res = await fetchApp(gatewayUrl);
    live = { status: res.status, text: await res.text() };
  }
  expect(live).toEqual({ status: 502, text: refused });
});
