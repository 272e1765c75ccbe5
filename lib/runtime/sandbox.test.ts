// The guest sandbox, through a real gateway (worker pool, module cache, folder registry, HTTP):
// a module sees only its own read-only /app, no host files, no sockets, no other tenant's
// environment and no state from an earlier request.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRouteDiscovery } from "./discover-routes";
import { createFolderRegistry } from "./folder-registry";
import { createGateway, type Gateway } from "./gateway";
import { ModuleCache } from "./module-cache";
import { WorkerPool } from "./worker-pool";
import { appUrl, fetchApp } from "../testing/app-fetch";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/wasm");
// WASI errno values (wasi_snapshot_preview1).
const ERRNO_NOTSOCK = 57;
const ERRNO_NOTCAPABLE = 76;
const ERRNO_SUCCESS = 0;

let dir: string;
let gateway: Gateway;
let base: string;

function deploy(tenant: string, app: string, fixture: string, manifest: object = {}, files: Record<string, string> = {}) {
  const appDir = path.join(dir, tenant, app);
  mkdirSync(appDir, { recursive: true });
  copyFileSync(path.join(FIXTURES, `${fixture}.wasm`), path.join(appDir, "module.wasm"));
  writeFileSync(path.join(appDir, "manifest.json"), JSON.stringify(manifest));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(appDir, "files", name)), { recursive: true });
    writeFileSync(path.join(appDir, "files", name), content);
  }
  return appDir;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "sandbox-test-"));
  const probe = deploy("alpha", "probe", "sandbox-probe", {}, { "inside.txt": "inside the app\n", "sub/nested.txt": "nested\n" });
  // A symlink the operator's folder might contain: the registry does not follow it into the host.
  symlinkSync("/etc/passwd", path.join(probe, "files", "link-to-passwd"));
  deploy("alpha", "echo", "echo", { env: { ALPHA_SECRET: "alpha-only-value" } });
  deploy("beta", "echo", "echo", { env: { BETA_SECRET: "beta-only-value" } });
  deploy("alpha", "counter", "counter");
  deploy("beta", "cookies", "set-cookie");
  const pool = await WorkerPool.create({ size: 2 });
  const moduleCache = new ModuleCache();
  const registry = createFolderRegistry({ dir, discoverRoutes: createRouteDiscovery(pool, moduleCache) });
  gateway = await createGateway({ resolve: registry.resolve, pool, moduleCache });
  await new Promise<void>((resolve) => gateway.server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await gateway?.pool.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function getJson<T>(url: string): Promise<T> {
  const res = await fetchApp(url);
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as T;
}

describe("files", () => {
  it("reads its own /app and nothing outside it, whatever the path", async () => {
    const report = await getJson<Record<string, unknown>>(appUrl(base, "alpha", "probe"));
    expect(report["/app/inside.txt"]).toBe("ok:inside the app");
    const escapes = Object.entries(report).filter(([k]) => k.startsWith("/") || k.startsWith(".") || k === "inside.txt");
    expect(escapes.length).toBeGreaterThan(15);
    for (const [attempt, outcome] of escapes) {
      if (attempt === "/app/inside.txt") continue;
      // Nothing outside /app opens: no path, however written, yields a line of a host file.
      expect(String(outcome), attempt).toMatch(/^errno:\d+$/);
    }
    for (const hostPath of ["/etc/passwd", "/etc/hostname", "/proc/self/environ", "../../../../etc/passwd", "/app/../../etc/passwd", "/app/./../app/../../../etc/passwd", "/app//../../etc/passwd", "/app/sub/../../../etc/passwd", "/app/link-to-passwd"]) {
      expect(report[hostPath], hostPath).toMatch(/^errno:\d+$/);
    }
    // Listing "/" or above /app shows nothing of the host.
    for (const listing of ["/", "/app/..", "/app/../.."]) {
      const outcome = String(report[listing]);
      expect(outcome, listing).not.toMatch(/\b(etc|proc|usr|home|root|tmp)\b/);
    }
    // Raw path_open on the preopened /app (past wasi-libc's own checks): the host resolves ".."
    // inside /app only, and refuses what climbs out with ENOTCAPABLE.
    expect(report["raw:inside.txt"]).toBe("ok:inside the app");
    expect(report["raw:sub/nested.txt"]).toBe("ok:nested");
    expect(report["raw:sub/../inside.txt"]).toBe("ok:inside the app");
    for (const escape of ["raw:..", "raw:../etc/passwd", "raw:/etc/passwd", "raw:sub/../../etc/passwd", "raw:./../../../../etc/passwd", "raw:sub/../../"]) {
      expect(report[escape], escape).toBe(`errno:${ERRNO_NOTCAPABLE}`);
    }
    // The symlink the operator's folder held was not followed into /app.
    expect(report["raw:link-to-passwd"]).toMatch(/^errno:/);
    expect(report["/app/link-to-passwd"]).toMatch(/^errno:/);
  });

  it("cannot create a symlink out of /app, nor write into it", async () => {
    const report = await getJson<Record<string, string>>(appUrl(base, "alpha", "probe"));
    expect(report.symlink).toMatch(/^errno:\d+$/);
    expect(report["raw-symlink"]).toBe(`errno:${ERRNO_NOTCAPABLE}`);
    expect(report["read-escape"]).toBe("refused");
    expect(report.write).toMatch(/^errno:\d+$/);
  });
});

describe("sockets", () => {
  it("every sock_accept, sock_recv, sock_send and sock_shutdown fails, on every descriptor", async () => {
    const report = await getJson<{ sockets: number[][] }>(appUrl(base, "alpha", "probe"));
    expect(report.sockets).toHaveLength(6);
    for (const [fd, results] of report.sockets.entries()) {
      expect(results, `fd ${fd}`).toHaveLength(4);
      for (const errno of results!) expect(errno, `fd ${fd}: ${results!.join(",")}`).not.toBe(ERRNO_SUCCESS);
    }
    // stdio and the preopened /app (fd 3) are not sockets, and no descriptor is one.
    expect(report.sockets.flat().every((errno) => errno === ERRNO_NOTSOCK || errno === 8 /* EBADF */)).toBe(true);
  });
});

describe("environment", () => {
  it("each tenant sees its own app env and never another tenant's, nor the host's", async () => {
    type Echo = { env: Record<string, string> };
    const alpha = await getJson<Echo>(appUrl(base, "alpha", "echo"));
    const beta = await getJson<Echo>(appUrl(base, "beta", "echo"));
    expect(alpha.env.ALPHA_SECRET).toBe("alpha-only-value");
    expect(beta.env.BETA_SECRET).toBe("beta-only-value");
    expect(JSON.stringify(beta)).not.toContain("alpha-only-value");
    expect(JSON.stringify(alpha)).not.toContain("beta-only-value");
    for (const env of [alpha.env, beta.env]) {
      for (const hostVar of ["PATH", "HOME", "DATABASE_URL", "NEXTAUTH_SECRET", "NODE_OPTIONS", "USER", "PWD"]) expect(env, hostVar).not.toHaveProperty(hostVar);
      for (const [name, value] of Object.entries(env)) {
        if (process.env[name] !== undefined && !/^(HTTP_|SERVER_|REQUEST_|PATH_INFO)/.test(name)) expect({ name, value }).not.toEqual({ name, value: process.env[name] });
      }
    }
    // The console's cookies, which a browser also sends to a gateway on the same host name
    // (cookies ignore ports), never reach a guest; the app's own cookies do.
    const withCookies = await fetchApp(appUrl(base, "beta", "echo"), {
      headers: { cookie: "next-auth.session-token=console-jwt; theme=dark; __Secure-next-auth.session-token.0=chunk; __Host-next-auth.csrf-token=csrf; app_session=42" },
    });
    const seen = (await withCookies.json()) as Echo;
    expect(seen.env.HTTP_COOKIE).toBe("theme=dark; app_session=42");
    expect(JSON.stringify(seen)).not.toMatch(/console-jwt|chunk|csrf/);
    const onlyConsole = (await (await fetchApp(appUrl(base, "beta", "echo"), { headers: { cookie: "next-auth.session-token=console-jwt" } })).json()) as Echo;
    expect(onlyConsole.env).not.toHaveProperty("HTTP_COOKIE");

    // Interleaved requests to both tenants on the same pooled workers: still no mixing.
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => getJson<Echo>(appUrl(base, i % 2 ? "beta" : "alpha", "echo"))));
    for (const [i, r] of results.entries()) {
      expect(Object.keys(r.env).filter((k) => k.endsWith("_SECRET"))).toEqual([i % 2 ? "BETA_SECRET" : "ALPHA_SECRET"]);
    }
  });
});

describe("the console's cookies", () => {
  it("an app cannot plant or overwrite them: those Set-Cookie lines never leave the gateway", async () => {
    const res = await fetchApp(appUrl(base, "beta", "cookies"));
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual(["app=1; Path=/"]);
    expect(await res.text()).toBe("ok\n");
  });
});

describe("instances", () => {
  it("a global counter answers 1 on every request: each request gets a fresh instance", async () => {
    const answers: string[] = [];
    for (let i = 0; i < 10; i++) answers.push(await (await fetchApp(appUrl(base, "alpha", "counter"))).text());
    answers.push(...(await Promise.all(Array.from({ length: 10 }, async () => (await fetchApp(appUrl(base, "alpha", "counter"))).text()))));
    expect(answers).toEqual(Array.from({ length: 20 }, () => "1\n"));
  });
});
