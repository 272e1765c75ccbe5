import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";

// kv-counter-c-sdk adds 1 to "hits" on /count. The schedule runs once a year (never during the
// story): the run comes from Run now, taken by a gateway of `npm start` (embedded database) and
// run through the request path like a scheduled one.
const MODULE = path.resolve(import.meta.dirname, "../../fixtures/wasm/kv-counter-c-sdk.wasm");
const MANIFEST = "schedules:\n  - cron: '0 0 1 1 *'\n    path: /count\n    method: POST\n";

test("the app page lists the deployed version's schedules with the next run, and Run now runs one through the gateway", async ({ page, baseURL }) => {
  await signUpViaApi(page);
  const headers = { origin: baseURL! };
  // Setup through the API: create, publish with a schedule, deploy.
  expect((await page.request.post("/api/v1/apps", { data: { name: "jobs" }, headers })).status()).toBe(201);
  const published = await page.request.post("/api/v1/apps/jobs/versions", {
    headers,
    multipart: {
      version: "1.0.0",
      module: { name: "app.wasm", mimeType: "application/wasm", buffer: readFileSync(MODULE) },
      manifest: { name: "wasmcompute.yaml", mimeType: "application/yaml", buffer: Buffer.from(MANIFEST) },
    },
  });
  expect(published.status()).toBe(201);
  expect((await page.request.post("/api/v1/apps/jobs/deployments", { data: { version: "1.0.0" }, headers })).status()).toBe(201);

  await page.goto("/dashboard/apps/jobs");
  const schedules = page.getByRole("region", { name: /Schedules/ });
  const row = schedules.getByRole("listitem", { name: "Schedule POST /count" });
  await expect(row).toContainText("0 0 1 1 *");
  await expect(row).toContainText(`next run ${new Date().getUTCFullYear() + 1}-01-01 00:00:00`);
  await expect(row).toContainText("No runs yet.");

  await row.getByRole("button", { name: "Run POST /count now" }).click();
  const runs = row.getByRole("table", { name: "Latest runs of POST /count" });
  const done = runs.getByRole("row", { name: /\(run now\)/ });
  await expect(done).toContainText("succeeded", { timeout: 20_000 });
  await expect(done).toContainText("HTTP 200");
  await expect(done).toContainText(/\d+\.\d ms/);

  // It ran the guest once: the counter it keeps says so.
  const hits = await page.request.get("/api/v1/apps/jobs/kv/entry?key=hits");
  expect(((await hits.json()) as { entry: { value: string } }).entry.value).toBe("1");
});
