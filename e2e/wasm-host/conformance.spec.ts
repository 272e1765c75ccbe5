// The lib/wasm host gives the same results in Chromium as in Node: the WASI 0.2 component cases
// (lib/wasm/component/component-cases.ts), the whole
// wasi-testsuite (wasm32-wasip1), the core WAGI/WASI cases and the lib/wasm
// case lists (case-lists.ts: the cases behind wasi-host, wagi-environment,
// cgi-response, wagi-routes, guest-text and fuzz-cgi-wasi .test.ts) run in a browser tab
// from an esbuild bundle of lib/wasm, and are compared test by test with a run
// of the same code in this Node process and with each case's expected value.
import { expect, test, type Page } from "@playwright/test";
import fc from "fast-check";
import { CI_SEED } from "../../lib/testing/ci-seed";
import { CORE_CASES } from "../../lib/wasm/core-cases";
import { COMPONENT_CASES, artifactKey, componentCaseFixtures } from "../../lib/wasm/component/component-cases";
import { loadComponent } from "../../lib/wasm/component/run-component";
import { componentArtifacts } from "../../lib/wasm/component/test-support/component-artifacts";
import { watToBinary } from "../../lib/wasm/test-support/compile-wat";
import { readSuite } from "../../lib/wasm/test-support/read-suite";
import { runSuite, summarizeSuite } from "../../lib/wasm/wasi-testsuite";
import type { BrowserResults, WasmHostPage } from "./browser-entry";
import { buildCaseBinaries } from "./case-binaries";
import { FUZZ_CASE_LISTS, HOST_CASE_LISTS, runFuzzCaseLists, runHostCaseLists, type ListResults } from "./case-lists";
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
  await openHostPage(page, pageErrors);

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

// The fuzz cases draw their inputs from one seed in both places: lib/testing/fast-check-seed.ts's
// CI seed, or FC_SEED to replay another.
const FUZZ_SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : CI_SEED;

async function openHostPage(page: Page, pageErrors: string[]): Promise<void> {
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(server.url);
  await expect(page).toHaveTitle("wasm-host tests ready");
}

async function nodeLoader() {
  const binaries = await buildCaseBinaries();
  return async (p: string) => {
    const bytes = binaries.get(p);
    if (!bytes) throw new Error(`no module at ${p}`);
    return new WebAssembly.Module(bytes as BufferSource);
  };
}

/** Equality of JSON-like results with object key order ignored, for the printed counts only. */
function sameJson(a: unknown, b: unknown): boolean {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical)
    : v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, x]) => [k, canonical(x)]))
    : v;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Prints per-list counts, then checks every case: Chromium's result is Node's and the expected one. */
function compareLists(browser: ListResults, node: ListResults, expected: Record<string, unknown[]>): void {
  for (const [list, wanted] of Object.entries(expected)) {
    const b = browser[list] ?? [];
    const n = node[list] ?? [];
    const asExpected = b.filter((r, i) => sameJson(r.result, wanted[i])).length;
    const sameAsNode = b.filter((r, i) => sameJson(r.result, n[i]?.result)).length;
    console.log(`lib/wasm ${list}: ${wanted.length} cases; chromium ${b.length} run, ${asExpected} as expected, ${sameAsNode} same as node`);
  }
  for (const [list, wanted] of Object.entries(expected)) {
    expect(browser[list]?.length, `${list}: cases run in chromium`).toBe(wanted.length);
    expect(node[list]?.length, `${list}: cases run in node`).toBe(wanted.length);
    for (const [i, value] of wanted.entries()) {
      const name = `${list}: ${browser[list]?.[i]?.name}`;
      expect.soft(browser[list]?.[i]?.result, `${name} (chromium vs expected)`).toEqual(value);
      expect.soft(browser[list]?.[i], `${name} (chromium vs node)`).toEqual(node[list]?.[i]);
    }
  }
}

test("lib/wasm case lists give the same results in Chromium as in Node, and the expected ones", async ({ page }) => {
  const pageErrors: string[] = [];
  await openHostPage(page, pageErrors);
  const browser = await page.evaluate(() => (globalThis as unknown as WasmHostPage).runWasmCaseLists());
  const node = await runHostCaseLists(await nodeLoader());
  compareLists(browser, node, Object.fromEntries(Object.entries(HOST_CASE_LISTS).map(([list, cases]) => [list, cases.map((c) => c.expected)])));
  expect(pageErrors).toEqual([]);
});

test("lib/wasm fuzz cases (fast-check, fixed seed, fewer runs) hold in Chromium as in Node", async ({ page }) => {
  const pageErrors: string[] = [];
  await openHostPage(page, pageErrors);
  const browser = await page.evaluate((seed) => (globalThis as unknown as WasmHostPage).runWasmFuzzCases(seed), FUZZ_SEED);
  const node = await runFuzzCaseLists(fc, FUZZ_SEED, await nodeLoader());
  console.log(`lib/wasm fuzz seed ${FUZZ_SEED}`);
  compareLists(browser, node, Object.fromEntries(Object.entries(FUZZ_CASE_LISTS).map(([list, cases]) => [list, cases.map((c) => ({ ...c.expected, runs: c.browserRuns }))])));
  expect(pageErrors).toEqual([]);
});

test("WASI 0.2 component cases give the same results in Chromium as in Node, and the expected ones", async ({ page }) => {
  const pageErrors: string[] = [];
  await openHostPage(page, pageErrors);
  const browser = await page.evaluate(() => (globalThis as unknown as WasmHostPage).runComponentCases());
  const artifacts = await componentArtifacts(componentCaseFixtures());
  const node = COMPONENT_CASES.map((c) => ({ name: c.name, result: c.run(loadComponent(artifacts.get(artifactKey(c.fixture))!)) }));
  compareLists({ components: browser }, { components: node }, { components: COMPONENT_CASES.map((c) => c.expected) });
  expect(pageErrors).toEqual([]);
});
