import { defineConfig } from "@playwright/test";

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
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
