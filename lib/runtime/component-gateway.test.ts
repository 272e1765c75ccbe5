// WASI 0.2 components through the real platform (issue #17): published through the API, deployed,
// served by the gateway process over HTTP, beside a preview1 module of another tenant. Each
// request runs in a fresh instance; limits and failures answer as for modules, with a log line
// that explains them; outbound calls obey allowed_hosts and the address rules.
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";
import { jsComponent } from "@/lib/testing/js-component";
import { startPlatform, type Platform } from "@/lib/testing/platform";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { fixtureComponent } from "@/lib/wasm/component/test-support/component-artifacts";
import { signUpTenant, waitUntil, type Tenant } from "./fault-test-support";

let database: TestDatabase;
let platform: Platform;
let dataDir: string;
let upstream: http.Server;
let up: string;
let owner: Tenant;
let neighbour: Tenant;

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`upstream saw ${req.method} ${req.url}`);
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  up = `127.0.0.1:${(upstream.address() as AddressInfo).port}`;

  database = await createTestDatabase("postgres");
  dataDir = await mkdtemp(path.join(os.tmpdir(), "wc-components-"));
  // The upstream is on loopback, which only the operator's exception lets an app reach.
  platform = await startPlatform({ dataDir, databaseUrl: database.url, env: { GATEWAY_PROCESSES: "1", GATEWAY_OUTBOUND_ALLOW: "127.0.0.1" } });
  [owner, neighbour] = [await signUpTenant(platform.consoleUrl), await signUpTenant(platform.consoleUrl)];
  await neighbour.deploy("hello", "hello-wat");
  for (const name of ["hello", "echo", "stream", "logs", "trap"]) await owner.deploy(name, fixtureComponent(name));
  await owner.deploy("loop", fixtureComponent("loop"), "limits:\n  timeoutMs: 1000\n");
  await owner.deploy("grow", fixtureComponent("grow"), "limits:\n  memoryMb: 16\n");
  await owner.deploy("big", fixtureComponent("big"), "limits:\n  maxResponseBytes: 1048576\n");
  await owner.deploy("outbound", fixtureComponent("outbound"), `allowed_hosts:\n  - http://${up}\n`);
  await owner.deploy("stranger", fixtureComponent("outbound"));
  await owner.deploy("js", await jsComponent("fixtures/component/js-hello/app.js"));
}, 240_000);

afterAll(async () => {
  await platform?.stop();
  await database?.close();
  upstream?.closeAllConnections();
  upstream?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const url = (app: string, p = "/") => appUrl(platform.gatewayUrl, owner.account.tenant, app, p);

async function requestLines(app: string, requestId: string): Promise<{ level: string; message: string }[]> {
  return waitUntil(
    async () => {
      const res = await owner.api(`/api/v1/apps/${app}/logs/requests/${requestId}`);
      return res.status === 200 ? ((await res.json()) as { lines: { level: string; message: string }[] }).lines : null;
    },
    10_000,
    `request record ${requestId} of ${app}`,
  );
}

describe("components through the gateway", () => {
  it("answers a request: status, headers and body", async () => {
    const res = await fetchApp(url("hello"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain");
    expect(await res.text()).toBe("Hello from a component\n");
  });

  it("sees the request whole: method, path with query, repeated headers, a 300 KiB body", async () => {
    const body = new Uint8Array(300 * 1024).map((_, i) => 65 + (i % 26));
    const headers = new Headers([["x-tag", "a"], ["x-tag", "b"], ["content-type", "application/octet-stream"]]);
    const res = await fetchApp(url("echo", "/items/7?color=red"), { method: "PUT", headers, body });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toMatch(/^method: PUT\npath-with-query: \/items\/7\?color=red\nscheme: http\nauthority: echo--/);
    // fetch joins repeated headers with ", " on the wire; the guest sees what arrived.
    expect(text).toContain("\nx-tag: a, b\n");
    expect(text).toContain(`\ncontent-length: ${body.length}\n`);
    expect(text.endsWith(`\n\n${new TextDecoder().decode(body)}`)).toBe(true);
  });

  it("streams a body written in several writes", async () => {
    const res = await fetchApp(url("stream"));
    expect(await res.text()).toBe("chunk 1\nchunk 2\nchunk 3\nchunk 4\nchunk 5\n");
  });

  it("keeps stdout and stderr in the request's log", async () => {
    const res = await fetchApp(url("logs"));
    expect(await res.text()).toBe("logged\n");
    const lines = await requestLines("logs", res.headers.get("x-request-id")!);
    expect(lines.map((l) => l.message)).toEqual(expect.arrayContaining(["logs fixture: stdout", "logs fixture: stderr"]));
  });

  it("runs a componentize-js JavaScript handler, a fresh instance per request", async () => {
    for (let i = 0; i < 2; i++) {
      const res = await fetchApp(url("js", "/greet?who=you"), { method: "POST", body: "hi" });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('Hello from JavaScript: POST /greet?who=you body="hi" served=1\n');
    }
  });
});

describe("component limits and failures answer as a module's, the neighbour unharmed", () => {
  it.each([
    ["trap", 502, "guest-trap", /crashed while handling the request \(WebAssembly trap: unreachable/],
    ["loop", 504, "deadline-exceeded", /did not finish within its 1000 ms limit and was stopped/],
    ["big", 502, "response-too-large", /response exceeded its 1048576 byte limit/],
  ])("%s → %d %s", async (app, status, code, explains) => {
    const neighbourAnswers = fetchApp(appUrl(platform.gatewayUrl, neighbour.account.tenant, "hello"));
    const res = await fetchApp(url(app), { signal: AbortSignal.timeout(30_000) });
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(res.status).toBe(status);
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(explains);
    const lines = await requestLines(app, res.headers.get("x-request-id")!);
    expect(lines.find((l) => l.level === "error")?.message).toMatch(new RegExp(`^${code}: `));
    expect((await neighbourAnswers).status).toBe(200);
  });

  it("memory.grow fails at the app's memory limit, written into the component's core modules at publish", async () => {
    expect(await (await fetchApp(url("grow"))).text()).toBe("256\n");
  });
});

describe("component outbound HTTP: allowed_hosts and the address rules", () => {
  it("reaches a host in allowed_hosts", async () => {
    const res = await fetchApp(url("outbound"), { headers: { "x-target-authority": up, "x-target-path": "/v1/items?id=3" } });
    expect(await res.text()).toBe("200\nupstream saw GET /v1/items?id=3");
  });

  it("is refused a host not in allowed_hosts (HTTP-request-denied, case 15)", async () => {
    const res = await fetchApp(url("stranger"), { headers: { "x-target-authority": up } });
    expect(res.status).toBe(502);
    expect(await res.text()).toBe("15\n");
  });

  it("is refused a private address even when allowed_hosts lists it (destination-IP-prohibited, case 4)", async () => {
    await owner.deploy("private", fixtureComponent("outbound"), "allowed_hosts:\n  - http://10.1.2.3\n");
    const res = await fetchApp(url("private"), { headers: { "x-target-authority": "10.1.2.3" } });
    expect(await res.text()).toBe("4\n");
  });
});

describe("publishing a component that is not an HTTP app", () => {
  it("is refused with a message naming what it exports and imports", async () => {
    expect((await owner.post("/api/v1/apps", { name: "wrong" })).status).toBe(201);
    const { publishForm } = await import("@/lib/testing/console-client");
    const res = await owner.api("/api/v1/apps/wrong/versions", { method: "POST", body: publishForm("1.0.0", fixtureComponent("wrong-world")) });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/does not export wasi:http\/incoming-handler@0\.2\.x \(it exports wasi:cli\/run@0\.2\.0\)/);
  });
});
