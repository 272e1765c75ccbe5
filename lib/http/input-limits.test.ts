// The console's limits on what a client sends, through real HTTP: a body over its limit is
// answered 413 while the client is still sending it (the console never reads it whole), a publish
// over the plan's upload cap likewise, and manifests past their size and count limits are refused
// with the limit named, while the console keeps answering others.
import http from "node:http";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleClient, apiWithToken, publishForm } from "@/lib/testing/console-client";
import { startPlatform, type Platform } from "@/lib/testing/platform";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";

const ROOT = path.resolve(import.meta.dirname, "../..");
const MiB = 1024 * 1024;

let database: TestDatabase;
let platform: Platform;
let dataDir: string;
let token: string;
let api: ReturnType<typeof apiWithToken>;

beforeAll(async () => {
  database = await createTestDatabase("postgres");
  dataDir = await mkdtemp(path.join(os.tmpdir(), "wc-limits-"));
  platform = await startPlatform({ dataDir, databaseUrl: database.url, env: { PRICE_PLAN: JSON.stringify({ name: "Small", uploadMaxBytes: MiB }) } });
  const client = new ConsoleClient(platform.consoleUrl);
  await client.signUp();
  token = await client.createToken("admin");
  api = apiWithToken(platform.consoleUrl, token);
  const created = await api("/api/v1/apps", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "limits" }) });
  expect(created.status).toBe(201);
}, 180_000);

afterAll(async () => {
  await platform?.stop();
  await database?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/**
 * Sends headers and then 1 MiB chunks (up to `totalBytes`, unhurried) and resolves with the
 * answer as soon as it comes, with how much had been sent by then. The body is never finished
 * when the answer comes before `totalBytes`: the console answered without reading it all.
 */
function sendSlowly(pathname: string, headers: Record<string, string>, totalBytes: number, method = "POST"): Promise<{ status: number; body: string; sentBytes: number }> {
  return new Promise((resolve, reject) => {
    const url = new URL(pathname, platform.consoleUrl);
    let sentBytes = 0;
    let done = false;
    const req = http.request(url, { method, headers: { authorization: `Bearer ${token}`, ...headers } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => {
        done = true;
        resolve({ status: res.statusCode ?? 0, body, sentBytes });
        req.destroy();
      });
    });
    req.on("error", (e) => {
      if (!done) reject(e);
    });
    const chunk = Buffer.alloc(MiB, 0x20);
    const pump = () => {
      if (done || sentBytes >= totalBytes) return;
      sentBytes += chunk.length;
      req.write(chunk);
      setTimeout(pump, 100);
    };
    req.flushHeaders();
    pump();
  });
}

describe("the console's input limits", () => {
  it("answers a JSON body declared at 200 MiB with 413 before it is sent", async () => {
    const answer = await sendSlowly("/api/v1/apps", { "content-type": "application/json", "content-length": String(200 * MiB) }, 200 * MiB);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.message).toBe("The request body is larger than 64 KiB, this route's limit. Send a smaller body.");
    expect(answer.sentBytes).toBeLessThan(20 * MiB);
  });

  it("answers a chunked JSON body (no Content-Length) with 413 once it passes the route's limit", async () => {
    const answer = await sendSlowly("/api/v1/apps/limits/kv/entry?key=k", { "content-type": "application/json", "transfer-encoding": "chunked" }, 200 * MiB, "PUT");
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.message).toBe("The request body is larger than 2 MiB, this route's limit. Send a smaller body.");
    expect(answer.sentBytes).toBeLessThan(20 * MiB);
  });

  it("answers an oversized sign-in form with 413 before it is read", async () => {
    const answer = await sendSlowly("/api/auth/callback/credentials", { "content-type": "application/x-www-form-urlencoded", "content-length": String(200 * MiB) }, 200 * MiB);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.message).toMatch(/larger than 64 KiB/);
  });

  it("refuses a publish over the plan's upload cap before reading it, naming the plan's cap", async () => {
    const answer = await sendSlowly("/api/v1/apps/limits/versions", { "content-type": "multipart/form-data; boundary=x", "content-length": String(200 * MiB) }, 200 * MiB);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.message).toBe('The upload is larger than 1 MiB, the upload cap of the "Small" plan. Publish a smaller module or fewer files.');
    expect(answer.sentBytes).toBeLessThan(20 * MiB);
    // Under the cap, the same plan publishes.
    const module = new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm/hello-wat.wasm")));
    const ok = await api("/api/v1/apps/limits/versions", { method: "POST", body: publishForm("0.0.1", module, "module: app.wasm\n", { "a.txt": "a" }) });
    expect(ok.status, await ok.clone().text()).toBe(201);
  });

  it("refuses manifests past their limits with the limit named: the 224 KiB one with 20,000 env keys, 100,000 routes, 101 routes", async () => {
    const module = new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm/hello-wat.wasm")));
    const publish = async (version: string, manifest: string) => {
      const res = await api("/api/v1/apps/limits/versions", { method: "POST", body: publishForm(version, module, manifest) });
      return { status: res.status, error: ((await res.json()) as { error: { message: string; field: string } }).error };
    };
    const envKeys = `env:\n${Array.from({ length: 20_000 }, (_, i) => `  KEY_${i}: v`).join("\n")}\n`;
    expect(await publish("0.1.0", envKeys)).toEqual({ status: 413, error: expect.objectContaining({ field: "manifest", message: expect.stringMatching(/a manifest is at most 65536 bytes \(64 KiB\)/) }) });
    const routes = (n: number) => `routes:\n${Array.from({ length: n }, (_, i) => `  - path: /r${i}`).join("\n")}\n`;
    expect((await publish("0.1.1", routes(100_000))).status).toBe(413);
    expect(await publish("0.1.2", routes(101))).toEqual({ status: 422, error: expect.objectContaining({ field: "manifest", message: "wasmcompute.yaml: routes: 101 routes; at most 100 (line 2)" }) });
    expect((await publish("0.1.3", `env:\n${Array.from({ length: 5000 }, (_, i) => `  K${i}: v`).join("\n")}\n`)).error.message).toBe(
      "wasmcompute.yaml: env: 5000 variables; at most 100 (line 2)",
    );
    expect((await api("/api/v1/apps/limits")).status).toBe(200);
  });
});
