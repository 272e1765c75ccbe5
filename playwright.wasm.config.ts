import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./e2e/support/chromium";

// The lib/wasm browser run (e2e/wasm-host): no app server needed, the spec
// starts its own static server. Chromium comes from Debian, never a download.
export default defineConfig({
  testDir: "e2e/wasm-host",
  outputDir: "test-results/wasm-host",
  timeout: 120_000,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    launchOptions: chromiumLaunchOptions,
  },
});
