import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppLimits, RouteSpec } from "../deployment-record/record";
import { createRouteDiscovery } from "./discover-routes";
import { createFolderRegistry } from "./folder-registry";
import { createGateway, type Gateway } from "./gateway";
import type { RequestLog } from "../deployment-record/ports";
import { ModuleCache } from "./module-cache";
import { WorkerPool } from "./worker-pool";
import { STDERR_KEPT_BYTES } from "../wasm";
import { appUrl, fetchApp } from "../testing/app-fetch";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/wasm");

interface AppSpec {
  fixture: string;
  routes?: RouteSpec[];
  env?: Record<string, string>;
  limits?: Partial<AppLimits>;
  files?: Record<string, string>;
}

const APPS: Record<string, AppSpec> = {
  "hello-c": { fixture: "hello-c" },
  "hello-rust": { fixture: "hello-rust" },
  "hello-as": { fixture: "hello-as" },
  "hello-wat": { fixture: "hello-wat" },
  echo: { fixture: "echo", env: { GREETING: "hi" } },
  "echo-small": { fixture: "echo", limits: { maxRequestBytes: 1024 } },
  "echo-asks-more": { fixture: "echo", limits: { maxRequestBytes: 100_000 } },
  status: { fixture: "status" },
  stderr: { fixture: "stderr" },
  counter: { fixture: "counter" },
  loop: { fixture: "loop", limits: { timeoutMs: 1000 } },
  memory: { fixture: "memory-grow", limits: { memoryMb: 16 } },
  huge: { fixture: "huge-response" },
  entrypoint: { fixture: "entrypoint", routes: [{ prefix: "/...", entrypoint: "handle" }] },
  routes: { fixture: "routes" },
  "bad-cgi": { fixture: "bad-cgi" },
  trap: { fixture: "trap" },
  unsupported: { fixture: "unsupported-import" },
  files: { fixture: "static-file", files: { "index.html": "<h1>home</h1>\n", "docs/a.txt": "A\n" } },
  "stderr-flood": { fixture: "stderr-flood", limits: { timeoutMs: 1500 } },
  "stderr-2mib": { fixture: "stderr-then-answer" },
};

let dir: string;
let gateway: Gateway;
let base: string;
const logs: RequestLog[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "gateway-test-"));
  for (const [app, spec] of Object.entries(APPS)) {
    const appDir = path.join(dir, "demo", app);
    mkdirSync(appDir, { recursive: true });
    copyFileSync(path.join(FIXTURES, `${spec.fixture}.wasm`), path.join(appDir, "module.wasm"));
    const { fixture: _fixture, files, ...manifest } = spec;
    writeFileSync(path.join(appDir, "manifest.json"), JSON.stringify(manifest));
    for (const [name, content] of Object.entries(files ?? {})) {
      mkdirSync(path.dirname(path.join(appDir, "files", name)), { recursive: true });
      writeFileSync(path.join(appDir, "files", name), content);
    }
  }
  // A memory limit near what the process uses now, so a guest that makes the host hold too much is stopped quickly.
  const pool = await WorkerPool.create({ size: 2, maxRssMb: Math.round(process.memoryUsage.rss() / 1048576) + 400 });
  const moduleCache = new ModuleCache();
  const registry = createFolderRegistry({ dir, discoverRoutes: createRouteDiscovery(pool, moduleCache) });
  gateway = await createGateway({
    resolve: registry.resolve,
    pool,
    moduleCache,
    limits: { maxResponseBytes: 8 * 1024 * 1024 },
    onLog: (record) => logs.push(record),
  });
  await new Promise<void>((resolve) => gateway.server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await gateway?.close();
  await gateway?.pool.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A request to the app `demo/<app>` at its own host name, `<app>--demo.localhost`. */
async function get(app: string, pathname = "/", init?: RequestInit) {
  const res = await fetchApp(appUrl(base, "demo", app, pathname), init);
  const text = await res.text();
  return { res, text, json: () => JSON.parse(text) as { error: { code: string; message: string } } };
}

function logFor(requestId: string | null): RequestLog | undefined {
  return logs.find((l) => l.requestId === requestId);
}

describe("gateway: hello world from four toolchains", () => {
  it.each([
    ["hello-c", "hello from C\n"],
    ["hello-rust", "hello from Rust\n"],
    ["hello-as", "hello from AssemblyScript\n"],
    ["hello-wat", "hello from WAT\n"],
  ])("%s", async (app, body) => {
    const { res, text } = await get(app);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain");
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(text).toBe(body);
  });

  it("answers on the older two-label host name <app>.<tenant>.<gatewayDomain> too", async () => {
    const port = (gateway.server.address() as AddressInfo).port;
    expect(await (await fetchApp(`http://hello-wat.demo.localhost:${port}/`)).text()).toBe("hello from WAT\n");
  });
});

describe("gateway: the request as the guest sees it", () => {
  it("passes method, path, query, headers, body and app env", async () => {
    const { res, text } = await get("echo", "/some/path?x=1&y=two%20words", {
      method: "POST",
      headers: { "x-test": "abc", "content-type": "text/plain" },
      body: "ping body",
    });
    expect(res.status).toBe(200);
    const seen = JSON.parse(text);
    expect(seen).toMatchObject({
      method: "POST",
      pathInfo: "/some/path",
      query: "x=1&y=two%20words",
      contentLength: "9",
      bodyLength: 9,
      body: "ping body",
    });
    // The app owns its whole origin: it is mounted at "/" of its own host name.
    const port = (gateway.server.address() as AddressInfo).port;
    expect(seen.env).toMatchObject({
      HTTP_X_TEST: "abc",
      CONTENT_TYPE: "text/plain",
      GREETING: "hi",
      SCRIPT_NAME: "/",
      PATH_INFO: "/some/path",
      SERVER_NAME: "echo--demo.localhost",
      SERVER_PORT: String(port),
      HTTP_HOST: `echo--demo.localhost:${port}`,
    });
    expect(seen.fullUrl).toBe(`http://echo--demo.localhost:${port}/some/path?x=1&y=two%20words`);
    expect(seen.args.slice(1)).toEqual(["x=1", "y=two words"]);
  });

  it("passes custom status, Location and headers back", async () => {
    const { res, text } = await get("status", "/", { redirect: "manual" });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/items/42");
    expect(res.headers.get("x-custom")).toBe("from-wasm");
    expect(text).toBe("created\n");
  });

  it("sends the guest's stderr to onLog", async () => {
    const { res } = await get("stderr");
    expect(res.status).toBe(200);
    const record = logFor(res.headers.get("x-request-id"));
    expect(record).toMatchObject({ tenant: "demo", app: "stderr", status: 200 });
    expect(record?.stderr).toEqual(["starting handler", "warning: something odd but harmless"]);
  });

  it("gives every request a fresh instance (a global counter is always 1)", async () => {
    for (let i = 0; i < 6; i++) expect((await get("counter")).text).toBe("1\n");
    const parallel = await Promise.all(Array.from({ length: 6 }, () => get("counter")));
    expect(parallel.map((r) => r.text)).toEqual(Array(6).fill("1\n"));
  });

  it("mounts the deployment's files read-only at /app", async () => {
    expect((await get("files")).text).toBe("<h1>home</h1>\n");
    const { res, text } = await get("files", "/docs/a.txt");
    expect(text).toBe("A\n");
    expect((await get("files", "/missing")).res.status).toBe(404);
    expect(logFor(res.headers.get("x-request-id"))?.stderr).toEqual([]);
  });

  it("calls a non-_start entrypoint named by the route", async () => {
    const { res, text } = await get("entrypoint", "/anything");
    expect(res.status).toBe(200);
    expect(text).toBe("hello from handle\n");
  });

  it("serves a module's own _routes", async () => {
    expect((await get("routes")).text).toBe("main\n");
    expect((await get("routes", "/hello")).text).toBe("hello\n");
    expect((await get("routes", "/goodbye/and/more")).text).toBe("goodbye\n");
  });
});

describe("gateway: limits and failures", () => {
  it("stops an endless loop at the deadline (504) while other requests keep succeeding", async () => {
    const started = Date.now();
    const looping = get("loop");
    const hellos: Awaited<ReturnType<typeof get>>[] = [];
    // A steady stream of requests for the whole time the loop runs and its worker is replaced.
    while (Date.now() - started < 1600) hellos.push(await get("hello-wat"));
    const { res, json } = await looping;
    expect(res.status).toBe(504);
    expect(json().error.code).toBe("deadline-exceeded");
    expect(json().error.message).toMatch(/1000 ms/);
    expect(hellos.length).toBeGreaterThan(10);
    expect(hellos.every((h) => h.res.status === 200 && h.text === "hello from WAT\n")).toBe(true);
    const record = logFor(res.headers.get("x-request-id"));
    expect(record?.error?.code).toBe("deadline-exceeded");
  });

  it("turns unbounded memory growth into a 502 at the app's cap, and the host is fine", async () => {
    const { res, json } = await get("memory");
    expect(res.status).toBe(502);
    expect(json().error.code).toBe("out-of-memory");
    expect(json().error.message).toMatch(/16 MiB/);
    expect(logFor(res.headers.get("x-request-id"))?.memoryBytes).toBe(16 * 1024 * 1024);
    expect((await get("hello-c")).res.status).toBe(200);
  });

  it("stops a guest that floods stderr at its deadline; the next request is fine", async () => {
    const { res, json } = await get("stderr-flood");
    expect(res.status).toBe(504);
    expect(json().error.code).toBe("deadline-exceeded");
    expect((await get("hello-wat")).text).toBe("hello from WAT\n");
  });

  it("keeps the first MiB of a request's stderr (as a line of 8192 characters) and says how much it dropped; the response is unharmed", async () => {
    const { res, text } = await get("stderr-2mib");
    expect(res.status).toBe(200);
    expect(text).toBe("answered\n");
    const record = logFor(res.headers.get("x-request-id"));
    expect(record?.stderr).toEqual([`${"e".repeat(8192 - 27)}… (${STDERR_KEPT_BYTES - 8192 + 27} more characters)`]);
    expect(record?.guestLogs).toEqual([
      {
        level: "warn",
        message: `[${2 * 1024 * 1024 - STDERR_KEPT_BYTES} more bytes of stderr and log output dropped, 1 long line cut: a request keeps 200 lines of 8192 characters, ${STDERR_KEPT_BYTES} bytes in all]`,
      },
    ]);
  });

  it("holds an app's own limits under the operator's ceilings (maxLimits)", async () => {
    const pool = await WorkerPool.create({ size: 1 });
    const capped = await createGateway({ resolve: createFolderRegistry({ dir }).resolve, pool, maxLimits: { maxRequestBytes: 512 } });
    await new Promise<void>((resolve) => capped.server.listen(0, "127.0.0.1", resolve));
    try {
      const url = appUrl((capped.server.address() as AddressInfo).port, "demo", "echo-asks-more");
      const over = await fetchApp(url, { method: "POST", body: "x".repeat(1000) });
      expect(over.status).toBe(413);
      expect(((await over.json()) as { error: { message: string } }).error.message).toContain("512 byte limit");
      expect((await fetchApp(url, { method: "POST", body: "x".repeat(500) })).status).toBe(200);
      // Without the ceiling the app's own 100,000 bytes hold.
      expect((await get("echo-asks-more", "/", { method: "POST", body: "x".repeat(1000) })).res.status).toBe(200);
    } finally {
      await capped.close();
      await pool.close();
    }
  });

  it("refuses a 50 MiB response (502)", async () => {
    const { res, json } = await get("huge");
    expect(res.status).toBe(502);
    expect(json().error).toMatchObject({ code: "response-too-large" });
  });

  it("refuses a body over the limit (413), with or without Content-Length", async () => {
    const declared = await get("echo-small", "/", { method: "POST", body: "x".repeat(2048) });
    expect(declared.res.status).toBe(413);
    expect(declared.json().error.code).toBe("request-too-large");

    const chunks = Array.from({ length: 8 }, () => new TextEncoder().encode("y".repeat(512)));
    const streamed = await get("echo-small", "/", {
      method: "POST",
      body: Readable.toWeb(Readable.from(chunks)) as ReadableStream,
      duplex: "half",
    } as RequestInit);
    expect(streamed.res.status).toBe(413);

    const fits = await get("echo-small", "/", { method: "POST", body: "z".repeat(1000) });
    expect(fits.res.status).toBe(200);
  });

  it.each([
    ["bad-cgi", 502, "bad-cgi-response"],
    ["trap", 502, "guest-trap"],
    ["unsupported", 502, "invalid-deployment"],
    ["nope", 404, "app-not-found"],
  ])("%s → %i %s", async (app, status, code) => {
    const { res, json } = await get(app);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(json().error.code).toBe(code);
    expect(json().error.message.length).toBeGreaterThan(20);
    expect(logFor(res.headers.get("x-request-id"))?.error?.code).toBe(code);
  });

  it("names the unsupported import in the error", async () => {
    const { json } = await get("unsupported");
    expect(json().error.message).toMatch(/env\.open_socket/);
  });

  it("answers /healthz and 404s paths that name no app", async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, pool: { size: 2 } });
    const nothing = await fetch(`${base}/`);
    expect(nothing.status).toBe(404);
    expect(((await nothing.json()) as { error: { code: string } }).error.code).toBe("not-found");
  });
});

describe("gateway: compiled modules posted to workers (transfer: module)", () => {
  it("serves the same answers, still with a fresh instance per request", async () => {
    const pool = await WorkerPool.create({ size: 1, transfer: "module" });
    const other = await createGateway({ resolve: createFolderRegistry({ dir }).resolve, pool });
    await new Promise<void>((resolve) => other.server.listen(0, "127.0.0.1", resolve));
    const port = (other.server.address() as AddressInfo).port;
    try {
      expect(await (await fetchApp(appUrl(port, "demo", "hello-c"))).text()).toBe("hello from C\n");
      for (let i = 0; i < 3; i++) expect(await (await fetchApp(appUrl(port, "demo", "counter"))).text()).toBe("1\n");
      expect((await fetchApp(appUrl(port, "demo", "memory"))).status).toBe(502);
    } finally {
      await other.close();
      await pool.close();
    }
  });
});
