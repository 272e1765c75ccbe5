// Shared by the fault tests (hostile modules, worker crash, drain, database outage): deploying
// fixtures through the real API, a background stream of requests with its latencies, polling.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { apiWithToken, ConsoleClient, publishForm, type TestAccount } from "@/lib/testing/console-client";
import { sleep, waitUntil } from "@/lib/testing/wait-until";
import { fetchApp } from "@/lib/testing/app-fetch";

export { sleep, waitUntil };

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * The one timing bound the fault suite asserts (issue #8): while a hostile module runs, another
 * tenant's hello requests keep answering 200 with p99 under this, on 2 shared cores. Half the
 * shortest hostile deadline (1 s), so a neighbour that waited for a runaway fails it; measured
 * p99s are 5–10 ms (max 51 ms) with the machine's load at 4. It was 2 s while requests lined up
 * behind a runaway could wait for its deadline (lib/runtime/worker-pool.ts, reclaim).
 */
export const NEIGHBOUR_P99_BOUND_MS = 500;

export async function fixture(name: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm", `${name}.wasm`)));
}

export interface Tenant {
  account: TestAccount;
  api: ReturnType<typeof apiWithToken>;
  /** POST JSON to the console API with this tenant's token. */
  post(url: string, body: unknown): Promise<Response>;
  /** Creates the app, publishes `module` (a fixture's name, or bytes) as 1.0.0 with `manifest` and deploys it. */
  deploy(app: string, module: string | Uint8Array, manifest?: string): Promise<void>;
}

export async function signUpTenant(consoleUrl: string): Promise<Tenant> {
  const client = new ConsoleClient(consoleUrl);
  const account = await client.signUp();
  const api = apiWithToken(consoleUrl, await client.createToken("admin"));
  const post = (url: string, body: unknown) =>
    api(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const expectStatus = async (what: string, res: Promise<Response>, status: number) => {
    const r = await res;
    if (r.status !== status) throw new Error(`${what}: ${r.status} ${await r.text()}`);
  };
  return {
    account,
    api,
    post,
    async deploy(app, module, manifest) {
      await expectStatus(`create ${app}`, post("/api/v1/apps", { name: app }), 201);
      const form = publishForm("1.0.0", typeof module === "string" ? await fixture(module) : module, manifest);
      await expectStatus(`publish ${app}`, api(`/api/v1/apps/${app}/versions`, { method: "POST", body: form }), 201);
      await expectStatus(`deploy ${app}`, post(`/api/v1/apps/${app}/deployments`, { version: "1.0.0" }), 201);
    },
  };
}

export interface StreamResult {
  statuses: number[];
  latencies: number[];
  /** Responses that were not 200 with the expected body (or network errors), for the failure message. */
  failures: string[];
}

/**
 * `concurrency` loops requesting `url` back to back until stop() is called; each answer must be
 * 200 with `expectedBody`.
 */
export function startStream(url: string, expectedBody: string, concurrency = 2): { stop(): Promise<StreamResult> } {
  const result: StreamResult = { statuses: [], latencies: [], failures: [] };
  let stopped = false;
  const loops = Array.from({ length: concurrency }, async () => {
    while (!stopped) {
      const started = performance.now();
      try {
        const res = await fetchApp(url, { signal: AbortSignal.timeout(30_000) });
        const text = await res.text();
        result.latencies.push(performance.now() - started);
        result.statuses.push(res.status);
        if (res.status !== 200 || text !== expectedBody) result.failures.push(`${res.status} ${text.slice(0, 200)}`);
      } catch (error) {
        result.statuses.push(0);
        result.failures.push(`network error: ${error instanceof Error ? `${error.message} ${String(error.cause ?? "")}` : String(error)}`);
      }
    }
  });
  return {
    async stop() {
      stopped = true;
      await Promise.all(loops);
      return result;
    },
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}


