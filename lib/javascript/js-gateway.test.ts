// JavaScript apps published and deployed like any app (the engine module + _worker.js), served by
// the real gateway over real HTTP from the database: hello, a JSON API, a snapshot, the app's KV store,
// console output in the request log, an uncaught exception, and hostile scripts stopped by the
// same limits as any module.
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpActor } from "@/lib/testing/actors";
import { listenOnLoopback } from "@/lib/testing/listen";
import type { Actor } from "@/lib/auth/actor";
import { createApp } from "@/lib/apps/create-app";
import { deployVersion } from "@/lib/deployments/deploy-version";
import { createLiveDeployments, type LiveDeployments } from "@/lib/deployments/live-deployments";
import type { RequestLog } from "@/lib/deployment-record/ports";
import { createGateway, type Gateway } from "@/lib/runtime/gateway";
import { ModuleCache } from "@/lib/runtime/module-cache";
import { WorkerPool } from "@/lib/runtime/worker-pool";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { publishVersion } from "@/lib/versions/publish-version";
import { JS_ENGINE_PATH, jsPublishInput } from "./js-app";

const ROOT = path.resolve(import.meta.dirname, "../..");

const APPS: Record<string, { script: string; manifest?: string }> = {
  hello: { script: `export default { fetch: () => new Response("Hello from JavaScript!\\n") }` },
  api: {
    script: `
      const items = [{ id: 1, name: "tea" }, { id: 2, name: "cake" }];
      export default {
        async fetch(request, env) {
          const url = new URL(request.url);
          const match = url.pathname.match(/^\\/api\\/items\\/(\\d+)$/);
          if (url.pathname === "/api/items" && request.method === "POST") {
            const item = await request.json();
            return Response.json({ id: 3, ...item, by: env.OWNER }, { status: 201 });
          }
          if (url.pathname === "/api/items") return Response.json(items);
          if (match) {
            const item = items.find((i) => i.id === Number(match[1]));
            return item ? Response.json(item) : Response.json({ error: "no such item" }, { status: 404 });
          }
          return new Response("not found", { status: 404 });
        },
      };`,
    manifest: "env:\n  OWNER: acme\n",
  },
  counter: {
    script: `export default { async fetch(request, env) {
      const n = await env.KV.increment("visits");
      await env.KV.put("last-path", new URL(request.url).pathname);
      return Response.json({ visits: n, last: await env.KV.get("last-path") });
    } }`,
  },
  loaded: { script: `const loadedAt = Date.now(); let served = 0;\nexport default { fetch: () => Response.json({ loadedAt, served: ++served, now: Date.now() }) }` },
  chatty: { script: `export default { fetch(request) { console.log("handling", request.method); console.error("something to look at"); return new Response("ok"); } }` },
  broken: { script: `function load(id) { throw new Error("database row " + id + " is missing"); }\nexport default { fetch: () => load(7) }` },
  loop: { script: `export default { fetch() { for (;;) {} } }`, manifest: "limits:\n  timeoutMs: 1000\n" },
  "load-loop": { script: `for (;;) {}\nexport default { fetch: () => new Response("never") }`, manifest: "limits:\n  timeoutMs: 1000\n" },
  hog: { script: `export default { fetch() { const keep = []; for (;;) keep.push(new Array(1e5).fill(1.5)); } }`, manifest: "limits:\n  memoryMb: 32\n" },
  flood: { script: `export default { fetch: () => new Response("x".repeat(2_000_000)) }`, manifest: "limits:\n  maxResponseBytes: 100000\n" },
};

// fetch() to another host: the upstream is a server on 127.0.0.1 that this test's operator settings
// allow (GATEWAY_OUTBOUND_ALLOW); `caller` lists it in allowed_hosts, `stranger` does not.
const CALLER = `export default { async fetch(request) {
  const target = new URL(request.url).searchParams.get("to");
  try {
    const res = await fetch(target, { method: "POST", headers: { "x-guest": "js" }, body: "ping" });
    return Response.json({ status: res.status, type: res.headers.get("content-type"), text: await res.text(), url: res.url });
  } catch (e) {
    return Response.json({ error: e.name + ": " + e.message }, { status: 502 });
  }
} }`;
let upstream: http.Server;
let up = "";

// A TypeScript app bundled by esbuild with its source map, as the CLI and the IDE publish it: an
// uncaught error's frames name the TypeScript file and line.
const TS_SOURCE = `interface Row { id: number }

function load(id: number): Row {
  throw new Error("row " + id + " is missing");
}

export default {
  fetch(): Response {
    return Response.json(load(7));
  },
};
`;
async function bundleWithMap(): Promise<{ path: string; data: Uint8Array }[]> {
  const { build } = await import("esbuild");
  const result = await build({
    stdin: { contents: TS_SOURCE, loader: "ts", sourcefile: "src/index.ts", resolveDir: ROOT },
    outfile: path.join(ROOT, "_worker.js"),
    bundle: true,
    format: "esm",
    sourcemap: "external",
    write: false,
  });
  return result.outputFiles.map((f) => ({ path: path.basename(f.path), data: f.contents }));
}

let database: TestDatabase;
let pool: WorkerPool;
let live: LiveDeployments;
let gateway: Gateway;
let port: number;
const logs: RequestLog[] = [];
const TENANT = "jsfn";

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      res.writeHead(req.url === "/teapot" ? 418 : 200, { "content-type": "text/plain" });
      res.end(`${req.method} ${req.url} ${Buffer.concat(chunks)} guest=${req.headers["x-guest"]}`);
    });
  });
  up = await listenOnLoopback(upstream);
  APPS.caller = { script: CALLER, manifest: `allowed_hosts:\n  - ${up}\n` };
  APPS.stranger = { script: CALLER };
  database = await createTestDatabase("embedded");
  pool = await WorkerPool.create({ size: 1 });
  live = createLiveDeployments({ db: database.db, pollMs: 60_000 });
  gateway = await createGateway({
    resolve: live.resolve,
    pool,
    moduleCache: new ModuleCache(),
    onLog: (r) => logs.push(r),
    outbound: { operatorAllow: ["127.0.0.1"] },
  });
  await new Promise<void>((r) => gateway.server.listen(0, "127.0.0.1", r));
  port = (gateway.server.address() as AddressInfo).port;
  const actor: Actor = await signUpActor(TENANT, "js@example.com");
  const engine = new Uint8Array(await readFile(path.join(ROOT, JS_ENGINE_PATH)));
  const tsFiles = await bundleWithMap();
  await createApp({ actor, input: { name: "typed" } });
  const tsScript = tsFiles.find((f) => f.path === "_worker.js")!.data;
  await publishVersion({ actor, appName: "typed", input: jsPublishInput({ version: "1.0.0", engine, script: tsScript, files: tsFiles.filter((f) => f.path !== "_worker.js") }) });
  await deployVersion({ actor, appName: "typed", input: { version: "1.0.0" } });
  for (const [name, app] of Object.entries(APPS)) {
    await createApp({ actor, input: { name } });
    await publishVersion({ actor, appName: name, input: jsPublishInput({ version: "1.0.0", engine, script: app.script, manifestText: app.manifest }) });
    await deployVersion({ actor, appName: name, input: { version: "1.0.0" } });
  }
  await live.refresh();
}, 180_000);

afterAll(async () => {
  upstream?.closeAllConnections();
  upstream?.close();
  await gateway?.close();
  live?.close();
  await pool?.close();
  await database?.close();
});

const get = (app: string, p = "/", init?: RequestInit) => fetchApp(appUrl(port, TENANT, app, p), init);
const lastLog = (app: string) => logs.filter((l) => l.app === app).at(-1)!;

describe("JavaScript apps through the gateway", () => {
  it("answers hello", async () => {
    const res = await get("hello");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain;charset=UTF-8");
    expect(await res.text()).toBe("Hello from JavaScript!\n");
  });

  it("serves a JSON API: routes, a 404, a POSTed body and env", async () => {
    expect(await (await get("api", "/api/items")).json()).toEqual([{ id: 1, name: "tea" }, { id: 2, name: "cake" }]);
    expect(await (await get("api", "/api/items/2")).json()).toEqual({ id: 2, name: "cake" });
    const missing = await get("api", "/api/items/9");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "no such item" });
    const created = await get("api", "/api/items", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "jam" }) });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ id: 3, name: "jam", by: "acme" });
  });

  it("keeps state in the app's KV store from one request to the next", async () => {
    expect(await (await get("counter", "/a")).json()).toEqual({ visits: 1, last: "/a" });
    expect(await (await get("counter", "/b")).json()).toEqual({ visits: 2, last: "/b" });
  });

  it("loads the script once per version and starts each request from it (a snapshot): top-level code ran at load, state is the request's own", async () => {
    const answers: { loadedAt: number; served: number; now: number }[] = [];
    for (let i = 0; i < 3; i++) {
      answers.push(await (await get("loaded")).json());
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    // Loaded per request, each answer would carry its own load time, 25 ms after the last.
    expect(new Set(answers.map((a) => a.loadedAt)).size).toBe(1);
    expect(answers[2]!.now - answers[0]!.loadedAt).toBeGreaterThanOrEqual(50);
    expect(answers.map((a) => a.served)).toEqual([1, 1, 1]);
  });

  it("puts console output in the request's log", async () => {
    expect(await (await get("chatty")).text()).toBe("ok");
    expect(lastLog("chatty").guestLogs).toEqual([
      { level: "info", message: "handling GET" },
      { level: "error", message: "something to look at" },
    ]);
  });

  it("answers 500 to an uncaught exception and logs its stack", async () => {
    const res = await get("broken");
    expect(res.status).toBe(500);
    expect(await res.text()).toBe("Internal Server Error\n");
    const stderr = lastLog("broken").stderr.join("\n");
    expect(stderr).toMatch(/Error: database row 7 is missing/);
    expect(stderr).toMatch(/at load \(_worker\.js:1/);
  });

  it("names the TypeScript line of an uncaught error when the bundle's source map is published beside it", async () => {
    const res = await get("typed");
    expect(res.status).toBe(500);
    const stderr = lastLog("typed").stderr.join("\n");
    expect(stderr).toMatch(/Error: row 7 is missing/);
    // `throw` is on line 4 of src/index.ts, the call to load() on line 9.
    expect(stderr).toMatch(/at load \(src\/index\.ts:4:\d+ \(_worker\.js:\d+:\d+\)\)/);
    expect(stderr).toMatch(/at fetch \(src\/index\.ts:9:\d+ \(_worker\.js:\d+:\d+\)\)/);
  });
});

describe("fetch() from JavaScript goes out through the platform's outbound HTTP", () => {
  it("reaches a host in allowed_hosts: method, headers, body, status and the response's url", async () => {
    const res = await get("caller", `/?to=${encodeURIComponent(`${up}/teapot`)}`);
    expect(await res.json()).toEqual({ status: 418, type: "text/plain", text: "POST /teapot ping guest=js", url: `${up}/teapot` });
    expect(lastLog("caller").guestLogs.map((l) => l.message)).toEqual([expect.stringMatching(/^outbound POST 127\.0\.0\.1:\d+ → 418 in \d+ ms$/)]);
  });

  it("rejects with a TypeError that says why for a host the app does not list", async () => {
    const res = await get("stranger", `/?to=${encodeURIComponent(`${up}/hello`)}`);
    expect(res.status).toBe(502);
    expect((await res.json()).error).toBe(`TypeError: fetch ${up}/hello failed: ${up} is not in this app's allowed_hosts: add "${up}" to allowed_hosts in wasmcompute.yaml`);
  });

  it("rejects a refused address even when listed (the metadata address is never reached)", async () => {
    const res = await get("caller", `/?to=${encodeURIComponent("http://169.254.169.254/latest/meta-data/")}`);
    expect(res.status).toBe(502);
    expect((await res.json()).error).toMatch(/^TypeError: fetch http:\/\/169\.254\.169\.254\/latest\/meta-data\/ failed: /);
  });
});

describe("hostile JavaScript is stopped by the limits of any module", () => {
  it("an endless loop runs into the app's deadline (504), and the gateway keeps serving", async () => {
    const res = await get("loop");
    expect(res.status).toBe(504);
    expect(lastLog("loop").error?.code).toBe("deadline-exceeded");
    expect(await (await get("hello")).text()).toBe("Hello from JavaScript!\n");
  });

  it("an endless loop while the script loads (the snapshot's initialisation) runs into the deadline too, on every request", async () => {
    for (let i = 0; i < 2; i++) {
      const res = await get("load-loop");
      expect(res.status).toBe(504);
      expect(lastLog("load-loop").error?.code).toBe("deadline-exceeded");
    }
    expect(await (await get("hello")).text()).toBe("Hello from JavaScript!\n");
  });

  it("a memory hog hits the app's memory limit (500, out of memory in the log)", async () => {
    const res = await get("hog");
    // QuickJS's allocator fails at the module's memory maximum and throws, uncaught: a 500.
    expect(res.status).toBe(500);
    const log = lastLog("hog");
    expect(log.stderr[0]).toBe("Uncaught: InternalError: out of memory");
    expect(log.memoryBytes ?? 0).toBeLessThanOrEqual(32 * 1024 * 1024);
    expect(await (await get("hello")).text()).toBe("Hello from JavaScript!\n");
  });

  it("a response over the app's limit is cut off (502 response-too-large)", async () => {
    const res = await get("flood");
    expect(res.status).toBe(502);
    expect(lastLog("flood").error?.code).toBe("response-too-large");
  });
});
