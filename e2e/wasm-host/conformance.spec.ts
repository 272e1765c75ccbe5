// The lib/wasm host gives the same results in Chromium as in Node: the whole
// wasi-testsuite (wasm32-wasip1) and the core WAGI/WASI cases run in a browser
// tab from an esbuild bundle of lib/wasm, and are compared test by test with a
// run of the same code in this Node process.
import { expect, test } from "@playwright/test";
import { CORE_CASES } from "../../lib/wasm/core-cases";
import { watToBinary } from "../../lib/wasm/test-support/compile-wat";
import { readSuite } from "../../lib/wasm/test-support/read-suite";
import { runSuite, summarizeSuite } from "../../lib/wasm/wasi-testsuite";
import type { BrowserResults } from "./browser-entry";
import { startHostTestServer, type HostTestServer } from "./serve-host-tests";

let server: HostTestServer;

test.beforeAll(async () => {
  server = await startHostTestServer();
});

test.afterAll(async () => {
  await server?.close();
});

test("wasi-testsuite and core host cases give the same results in Chromium as in Node", async ({ page }) => {
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(server.url);
  await expect(page).toHaveTitle("wasm-host tests ready");

  const browser = await page.evaluate(() =>
    (globalThis as unknown as { runWasmHostTests(): Promise<BrowserResults> }).runWasmHostTests(),
  );
  expect(browser.environment.hasNodeProcess).toBe(false);
  console.log(`chromium: ${browser.summary.join("\n")}`);

  const node = runSuite(readSuite());
  console.log(`node:     ${summarizeSuite(node).join("\n")}`);
  expect(browser.suite.length).toBeGreaterThan(0);
  expect(browser.suite).toEqual(node);
  expect(browser.suite.filter((o) => o.status === "failed")).toEqual([]);

  const nodeCore = await Promise.all(
    CORE_CASES.map(async (c) => ({ name: c.name, result: c.run(new WebAssembly.Module((await watToBinary(c.wat)) as BufferSource)) })),
  );
  expect(browser.core).toEqual(nodeCore);
  for (const [i, c] of CORE_CASES.entries()) expect(browser.core[i]?.result, c.name).toEqual(c.expected);
  expect(pageErrors).toEqual([]);
});
