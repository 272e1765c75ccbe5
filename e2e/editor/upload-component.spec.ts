// A WASI 0.2 component (wasi:http/incoming-handler) is uploaded in the editor and previewed in the
// tab: the console transpiles it once into the artifact publish stores, and the preview worker runs
// that artifact with the gateway's own p2 host. A component built for another world is refused
// with the console's sentence in the Problems panel. Published from the editor, the server stores
// the very artifact the preview ran, and the gateway answers the preview's bytes.
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { FIRST_COMPILE_MS, createAppAndOpenEditor, fetchGatewayUntil, previewBodyBytes } from "./support";

const HELLO = path.join(process.cwd(), "fixtures/component/hello.component.wasm");
const WRONG_WORLD = path.join(process.cwd(), "fixtures/component/wrong-world.component.wasm");
// GETs http://<x-target-authority><x-target-path> through wasi:http/outgoing-handler; answers
// "<upstream status>\n<upstream body>", or 502 "<error-code case>\n".
const OUTBOUND = path.join(process.cwd(), "fixtures/component/outbound.component.wasm");

test("upload a component: the preview runs it in the tab; a component of another world is a problem", async ({ page }) => {
  test.setTimeout(180_000);
  await signUpViaApi(page);
  await createAppAndOpenEditor(page, "component", "hello-wat");
  await expect(page.getByTestId("preview-body")).toHaveText("Hello from WAT!", { timeout: FIRST_COMPILE_MS });

  const transpiles: string[] = [];
  page.on("request", (r) => r.url().includes("/preview/component") && transpiles.push(r.url()));
  await page.getByLabel("Upload prebuilt .wasm").setInputFiles(HELLO);
  await expect(page.getByTestId("language")).toHaveText("WASI 0.2 component");
  await expect(page.getByText("app.wasm: a WASI 0.2 component (7,432 bytes).")).toBeVisible();
  await expect(page.getByTestId("preview-body")).toHaveText("Hello from a component");
  await expect(page.getByTestId("problem-count")).toHaveText("no errors");
  await expect(page.getByTestId("preview-status")).toContainText("200");
  expect((await previewBodyBytes(page)).toString("utf8")).toBe("Hello from a component\n");
  await page.screenshot({ path: test.info().outputPath("component-preview.png") });

  // Another path: a component has no _routes, it serves them all with its one handler.
  const preview = page.getByRole("complementary", { name: "Preview" });
  await expect(preview.getByTestId("preview-routes").locator("summary")).toHaveText("Routes (1)");
  await preview.getByTestId("preview-routes").locator("summary").click();
  await expect(preview.getByRole("list", { name: "Routes" }).getByRole("listitem")).toHaveText([/^\/\.\.\.→ wasi:http\/incoming-handlerdefault$/]);
  await preview.getByLabel("Path").fill("/any/where");
  await preview.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByTestId("preview-status")).toContainText("200");
  expect((await previewBodyBytes(page)).toString("utf8")).toBe("Hello from a component\n");
  // The same bytes are transpiled once, however often the draft rebuilds.
  expect(transpiles).toHaveLength(1);

  await page.getByLabel("Upload prebuilt .wasm").setInputFiles(WRONG_WORLD);
  await expect(page.getByTestId("problem-count")).toHaveText("1 error");
  await expect(page.getByTestId("problem")).toContainText("app.wasm: The component does not export wasi:http/incoming-handler@0.2.x (it exports wasi:cli/run@0.2.0).");
});

test("a component's outbound call goes through the console under the draft's allowed_hosts, as a module's does", async ({ page }) => {
  test.setTimeout(180_000);
  const upstream = http.createServer((req, res) => res.writeHead(200, { "content-type": "text/plain" }).end(`upstream saw ${req.url}`));
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const authority = `127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  try {
    await signUpViaApi(page);
    await createAppAndOpenEditor(page, "component-out", "hello-wat");
    await expect(page.getByTestId("preview-body")).toHaveText("Hello from WAT!", { timeout: FIRST_COMPILE_MS });
    await page.getByLabel("Upload prebuilt .wasm").setInputFiles(OUTBOUND);
    await expect(page.getByTestId("language")).toHaveText("WASI 0.2 component");

    const preview = page.getByRole("complementary", { name: "Preview" });
    await preview.getByText("Query, headers, body").click();
    await preview.getByLabel("Headers").fill(`x-target-authority: ${authority}\nx-target-path: /from/component`);
    // Not in allowed_hosts: refused, as the gateway refuses it (HTTP-request-denied, case 15).
    await preview.getByRole("button", { name: "Run", exact: true }).click();
    await expect(page.getByTestId("preview-status")).toHaveText("502");
    expect((await previewBodyBytes(page)).toString("utf8")).toBe("15\n");

    await page.getByRole("navigation", { name: "Files" }).getByRole("button", { name: "wasmcompute.yaml", exact: true }).click();
    await page.locator(".monaco-editor .view-lines").first().click();
    await page.keyboard.press("Control+A");
    await page.keyboard.insertText(`allowed_hosts: ["http://${authority}"]\n`);
    await expect(page.getByTestId("problem-count")).toHaveText("no errors");
    await preview.getByRole("button", { name: "Run", exact: true }).click();
    await expect(page.getByTestId("preview-body")).toHaveText("200 upstream saw /from/component");
    expect((await previewBodyBytes(page)).toString("utf8")).toBe("200\nupstream saw /from/component");
    await expect(page.getByTestId("preview-logs")).toContainText(new RegExp(`outbound GET 127\\.0\\.0\\.1:\\d+ → 200 in \\d+ ms`));
  } finally {
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
  }
});

test("publish and deploy a component from the editor; the gateway answers the preview's bytes", async ({ page }) => {
  test.setTimeout(180_000);
  await signUpViaApi(page);
  await createAppAndOpenEditor(page, "component-live", "hello-wat");
  await expect(page.getByTestId("preview-body")).toHaveText("Hello from WAT!", { timeout: FIRST_COMPILE_MS });
  await page.getByLabel("Upload prebuilt .wasm").setInputFiles(HELLO);
  await expect(page.getByTestId("language")).toHaveText("WASI 0.2 component");
  await expect(page.getByTestId("preview-body")).toHaveText("Hello from a component");
  const previewBytes = await previewBodyBytes(page);
  expect(previewBytes.toString("utf8")).toBe("Hello from a component\n");

  const publish = page.getByRole("button", { name: "Publish", exact: true });
  await expect(publish).toBeEnabled();
  await publish.click();
  await expect(page.getByTestId("published")).toContainText("0.0.1");
  // The server stored the artifact the preview ran, byte for byte.
  await expect(page.getByTestId("hash-match")).toHaveText("✓ match");
  await page.getByRole("button", { name: "Deploy 0.0.1" }).click();
  await expect(page.getByTestId("deployed")).toBeVisible();

  const app = ((await (await page.request.get("/api/v1/apps/component-live")).json()) as { app: { gatewayUrl: string } }).app;
  const live = await fetchGatewayUntil(app.gatewayUrl, previewBytes);
  expect(live.equals(previewBytes), `gateway: ${JSON.stringify(live.toString("utf8"))}`).toBe(true);
});
