// Tenants apart in the browser, at the gateway (issue #13 items 1, 2, 7): every app answers at its
// own host name and the path form is off unless the operator turns it on; a Host that is not a
// host is refused before it can become the guest's PATH_INFO, QUERY_STRING or X_FULL_URL; and a
// guest's Service-Worker-Allowed never reaches past its own app. Real HTTP to real gateways.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net, { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appUrl, fetchApp } from "../testing/app-fetch";
import { fixedResponseModule } from "../testing/fixed-response-module";
import { createFolderRegistry } from "./folder-registry";
import { createGateway, type Gateway } from "./gateway";
import type { RequestLog } from "../deployment-record/ports";
import { WorkerPool } from "./worker-pool";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/wasm");
const JS = "Content-Type: text/javascript\n";

let dir: string;
let pool: WorkerPool;
/** The default gateway: host routing only. */
let hosted: Gateway;
/** GATEWAY_PATH_ROUTING=on. */
let pathed: Gateway;
let hostedPort: number;
let pathedPort: number;
const logs: RequestLog[] = [];

async function listen(gateway: Gateway): Promise<number> {
  await new Promise<void>((resolve) => gateway.server.listen(0, "127.0.0.1", resolve));
  return (gateway.server.address() as AddressInfo).port;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "app-origins-test-"));
  const app = (tenant: string, name: string, module: Uint8Array | string, manifest: object = {}) => {
    const appDir = path.join(dir, tenant, name);
    mkdirSync(appDir, { recursive: true });
    if (typeof module === "string") copyFileSync(path.join(FIXTURES, `${module}.wasm`), path.join(appDir, "module.wasm"));
    else writeFileSync(path.join(appDir, "module.wasm"), module);
    writeFileSync(path.join(appDir, "manifest.json"), JSON.stringify(manifest));
  };
  app("demo", "echo", "echo");
  app("rival", "echo", "echo");
  // A service worker script that asks for more than its app, four ways.
  const sw = await fixedResponseModule({
    _start: `${JS}Service-Worker-Allowed: /\n\nself.skipWaiting();\n`,
    up: `${JS}Service-Worker-Allowed: ../../../\n\n// up\n`,
    away: `${JS}Service-Worker-Allowed: https://elsewhere.example/\n\n// away\n`,
    own: `${JS}Service-Worker-Allowed: /demo/sw/own/\n\n// own\n`,
  });
  app("demo", "sw", sw, {
    routes: [
      { prefix: "/...", entrypoint: "_start" },
      { prefix: "/up/...", entrypoint: "up" },
      { prefix: "/away", entrypoint: "away" },
      { prefix: "/own/...", entrypoint: "own" },
    ],
  });
  pool = await WorkerPool.create({ size: 2 });
  const resolve = createFolderRegistry({ dir }).resolve;
  hosted = await createGateway({ resolve, pool, onLog: (r) => logs.push(r) });
  pathed = await createGateway({ resolve, pool, pathRouting: true, onLog: (r) => logs.push(r) });
  hostedPort = await listen(hosted);
  pathedPort = await listen(pathed);
});

afterAll(async () => {
  await hosted?.close();
  await pathed?.close();
  await pool?.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A request written byte for byte: any Host header (an empty one too), any request-target (Node's
 * fetch and http client let us choose neither). The gateway always answers with Content-Length.
 */
function raw(port: number, options: { host: string; path: string }): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => {
      socket.write(`GET ${options.path} HTTP/1.1\r\nHost: ${options.host}\r\nConnection: close\r\n\r\n`);
    });
    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      const [statusLine, ...lines] = text.slice(0, split).split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(":");
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine!.split(" ")[1]), headers, body: text.slice(split + 4) });
    });
  });
}

interface Echo {
  pathInfo: string;
  query: string;
  fullUrl: string;
  env: Record<string, string>;
}

describe("one origin per app", () => {
  it("answers <app>--<tenant>.<domain> with the app mounted at / of its own origin", async () => {
    const res = await fetchApp(appUrl(hostedPort, "demo", "echo", "/a/b?x=1"));
    expect(res.status).toBe(200);
    const seen = (await res.json()) as Echo;
    expect(seen).toMatchObject({ pathInfo: "/a/b", query: "x=1", fullUrl: `http://echo--demo.localhost:${hostedPort}/a/b?x=1` });
    expect(seen.env).toMatchObject({ SCRIPT_NAME: "/", SERVER_NAME: "echo--demo.localhost", HTTP_HOST: `echo--demo.localhost:${hostedPort}` });
  });

  it("keeps a path inside the app: /../../<tenant>/<app>/ on one app's host is that app's own path", async () => {
    const seen = (await raw(hostedPort, { host: `echo--demo.localhost:${hostedPort}`, path: "/../../rival/echo/" })).body;
    expect(JSON.parse(seen)).toMatchObject({ pathInfo: "/rival/echo/", env: { SERVER_NAME: "echo--demo.localhost" } });
  });

  it("does not answer the path form by default, and says where apps are", async () => {
    const res = await fetch(`http://127.0.0.1:${hostedPort}/demo/echo/`);
    expect(res.status).toBe(404);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("not-found");
    expect(error.message).toContain("<app>--<tenant>.localhost");
    // Nor on the gateway's own host name.
    expect((await fetchApp(`http://localhost:${hostedPort}/demo/echo/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${hostedPort}/healthz`)).status).toBe(200);
  });

  it("answers the path form when the operator turns it on (GATEWAY_PATH_ROUTING=on), mounted at /<tenant>/<app>", async () => {
    const res = await fetch(`http://127.0.0.1:${pathedPort}/demo/echo/a?x=1`);
    expect(res.status).toBe(200);
    // SCRIPT_NAME carries the mount (links built on it work); X_MATCHED_ROUTE is the app's own route, as in WAGI.
    expect(((await res.json()) as Echo).env).toMatchObject({ SCRIPT_NAME: "/demo/echo", PATH_INFO: "/a", X_MATCHED_ROUTE: "/..." });
    // The host form works there too, and a host under the domain that names no app is no path.
    expect((await fetchApp(appUrl(pathedPort, "demo", "echo"))).status).toBe(200);
    expect((await raw(pathedPort, { host: "nothing.localhost", path: "/demo/echo/" })).status).toBe(404);
  });

  it("gives the guest the URL its client used: https behind a TLS proxy (GATEWAY_PUBLIC_URL https://…)", async () => {
    const tls = await createGateway({ resolve: createFolderRegistry({ dir }).resolve, pool, publicScheme: "https" });
    const port = await listen(tls);
    try {
      const seen = JSON.parse((await raw(port, { host: "echo--demo.localhost", path: "/a?x=1" })).body) as Echo;
      expect(seen).toMatchObject({ fullUrl: "https://echo--demo.localhost/a?x=1", env: { SERVER_NAME: "echo--demo.localhost", SERVER_PORT: "443" } });
    } finally {
      await tls.close();
    }
  });
});

describe("the Host header (item 7)", () => {
  it.each([
    ["a path", "evil/demo/echo/injected"],
    ["a query", "echo--demo.localhost?x=1"],
    ["a fragment", "echo--demo.localhost#x"],
    ["user info", "user@echo--demo.localhost"],
    ["a space", "echo--demo.localhost x"],
    ["a backslash", "echo--demo.localhost\\x"],
    ["percent-encoding", "echo--demo.localhost%2Fx"],
    ["an out-of-range address", "999.1.1.1"],
    ["an out-of-range port", "echo--demo.localhost:99999"],
    ["an empty host", ""],
  ])("refuses a Host with %s (400) before any guest runs", async (_what, host) => {
    for (const port of [hostedPort, pathedPort]) {
      const res = await raw(port, { host, path: "/demo/echo/real?z=2" });
      expect(res.status, `${host} on ${port}`).toBe(400);
      expect(JSON.parse(res.body).error).toMatchObject({ code: "bad-request", message: expect.stringContaining("Host") });
      expect(logs.find((l) => l.requestId === res.headers["x-request-id"])).toMatchObject({ status: 400, app: null });
    }
  });

  it("cannot rewrite PATH_INFO, QUERY_STRING or X_FULL_URL (the path form, where the Host used to leak into the URL)", async () => {
    const res = await raw(pathedPort, { host: "x/demo/echo/injected?q=1#", path: "/demo/echo/real?z=2" });
    expect(res.status).toBe(400);
    const fine = JSON.parse((await raw(pathedPort, { host: "gateway.example:8080", path: "/demo/echo/real?z=2" })).body) as Echo;
    expect(fine).toMatchObject({ pathInfo: "/real", query: "z=2", fullUrl: "http://gateway.example:8080/demo/echo/real?z=2" });
  });

  it("refuses a request-target that is not a path (absolute-form names another host)", async () => {
    const res = await raw(hostedPort, { host: `echo--demo.localhost:${hostedPort}`, path: `http://echo--rival.localhost:${hostedPort}/x` });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.code).toBe("bad-request");
  });

  it("accepts every well-formed host: names in any case, IPv4, IPv6, with or without a port", async () => {
    const upper = JSON.parse((await raw(hostedPort, { host: `ECHO--Demo.LocalHost:${hostedPort}`, path: "/" })).body) as Echo;
    expect(upper.env).toMatchObject({ SERVER_NAME: "echo--demo.localhost", HTTP_HOST: `ECHO--Demo.LocalHost:${hostedPort}` });
    for (const host of ["127.0.0.1", `127.0.0.1:${pathedPort}`, "[::1]:80", "gateway.example", "under_score.example"]) {
      const res = await raw(pathedPort, { host, path: "/demo/echo/" });
      expect(res.status, host).toBe(200);
    }
  });
});

describe("Service-Worker-Allowed (item 2)", () => {
  const allowed = async (port: number, host: string, pathname: string) => (await raw(port, { host, path: pathname })).headers["service-worker-allowed"];
  const swHost = (port: number) => `sw--demo.localhost:${port}`;

  it("under host routing stays on the app's own origin: / is the app's, another origin is dropped", async () => {
    expect(await allowed(hostedPort, swHost(hostedPort), "/sw.js")).toBe("/");
    expect(await allowed(hostedPort, swHost(hostedPort), "/up/x/sw.js")).toBe("/");
    expect(await allowed(hostedPort, swHost(hostedPort), "/own/sw.js")).toBe("/demo/sw/own/");
    expect(await allowed(hostedPort, swHost(hostedPort), "/away")).toBeUndefined();
  });

  it("under path routing is confined to the app's mount /<tenant>/<app>/, never the whole origin", async () => {
    const host = `127.0.0.1:${pathedPort}`;
    expect(await allowed(pathedPort, host, "/demo/sw/sw.js")).toBe("/demo/sw/");
    expect(await allowed(pathedPort, host, "/demo/sw/up/x/sw.js")).toBe("/demo/sw/");
    expect(await allowed(pathedPort, host, "/demo/sw/own/sw.js")).toBe("/demo/sw/own/");
    expect(await allowed(pathedPort, host, "/demo/sw/away")).toBeUndefined();
  });
});
