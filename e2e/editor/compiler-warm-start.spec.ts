// The AssemblyScript compiler is the slow part of a cold IDE. The app page starts loading it, so the
// editor opened from there finds it loaded in the same compile worker; and a later visit takes
// Binaryen's wasm (the ~9 MB part) from the browser's HTTP cache instead of the network.
import { expect, test, type Page } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { FIRST_COMPILE_MS } from "./support";

const BINARYEN_WASM = /\/compiler\/binaryen\.[0-9a-f]{16}\.wasm$/;

interface WarmInfo {
  loadMs: number;
  compileMs: number;
  wasmTransferBytes: number | null;
}

/** The compile worker's report that the AssemblyScript compiler is loaded (a performance mark of the page). */
async function compilerWarmed(page: Page): Promise<WarmInfo> {
  const handle = await page.waitForFunction(() => (performance.getEntriesByName("wasmcompute:compiler-warm")[0] as PerformanceMark | undefined)?.detail as WarmInfo | undefined, undefined, {
    timeout: FIRST_COMPILE_MS,
    polling: 200,
  });
  return (await handle.jsonValue())!;
}

test("the app page loads the compiler, the editor reuses it, and a second visit takes its wasm from the cache", async ({ page, baseURL }) => {
  test.setTimeout(300_000);
  const wasmRequests: string[] = [];
  page.context().on("request", (r) => {
    if (BINARYEN_WASM.test(r.url())) wasmRequests.push(r.url());
  });
  await signUpViaApi(page);
  expect((await page.request.post("/api/v1/apps", { data: { name: "warm", template: "hello-as" }, headers: { origin: baseURL! } })).status()).toBe(201);

  // Only the app page is open: the compiler loads all the same, over the network the first time.
  await page.goto("/dashboard/apps/warm");
  const first = await compilerWarmed(page);
  expect(first.wasmTransferBytes).toBeGreaterThan(1_000_000);
  expect(wasmRequests).toHaveLength(1);

  // The editor opened from the app page compiles with that worker: no second load.
  await page.getByRole("link", { name: "Open editor" }).click();
  await expect(page).toHaveURL(/\/dashboard\/apps\/warm\/editor$/);
  await expect(page.getByTestId("preview-body")).toHaveText("Hello from AssemblyScript!", { timeout: FIRST_COMPILE_MS });
  expect(wasmRequests).toHaveLength(1);

  // A new tab on the editor: a new worker loads the compiler again, with the wasm from the HTTP cache.
  const again = await page.context().newPage();
  await again.goto("/dashboard/apps/warm/editor");
  await expect(again.getByTestId("preview-body")).toHaveText("Hello from AssemblyScript!", { timeout: FIRST_COMPILE_MS });
  expect((await compilerWarmed(again)).wasmTransferBytes).toBe(0);
});
