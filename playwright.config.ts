import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromiumLaunchOptions } from "./e2e/support/chromium";

// The console e2e suite runs against the production build started exactly as `npm start` does,
// on a fresh embedded database. Browsers come from Debian (`chromium`), never from downloads.
const port = Number(process.env.E2E_PORT ?? 3100);
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), "wc-e2e-"));

export default defineConfig({
  testDir: "e2e",
  testIgnore: ["wasm-host/**"],
  outputDir: process.env.E2E_OUTPUT_DIR ?? "test-results/e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 800 },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: chromiumLaunchOptions,
  },
  webServer: {
    command: "node scripts/bundle-server.mjs start", // as `npm start`: bundles dist/server/, then runs it
    url: `http://127.0.0.1:${port}/sign-in`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(port),
      GATEWAY_PORT: String(port + 1),
      DATA_DIR: process.env.E2E_DATA_DIR,
      // The stories send X-Forwarded-For as a proxy in front of the console would (e2e/support/accounts.ts).
      TRUSTED_PROXIES: "1",
      // Guests may call servers the stories start on 127.0.0.1 (e2e/editor/preview-outbound.spec.ts);
      // every other non-public address stays refused, as on a real platform.
      GATEWAY_OUTBOUND_ALLOW: "127.0.0.1",
    },
  },
});
