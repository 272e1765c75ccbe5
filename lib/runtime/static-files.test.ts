// Static serving through a real gateway (node:http on a port, the worker pool for the wasm
// routes), with deployments built in memory: ETag/304, Range/206/416, HEAD, content types,
// index.html, traversal attempts, and which of static files or wasm answers a path.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentTypeOf } from "../deployment-record/content-type";
import type { ResolvedDeployment } from "../deployment-record/record";
import { createGateway, type Gateway } from "./gateway";
import type { RequestLog } from "../deployment-record/ports";
import { hashModule } from "./module-cache";
import { createStaticSite } from "../deployment-record/static-site";
import { lookupStaticFile, parseRange, StaticFileCache } from "./static-files";
import { WorkerPool } from "./worker-pool";
import { appUrl } from "../testing/app-fetch";

const HELLO = new Uint8Array(readFileSync(path.resolve(import.meta.dirname, "../../fixtures/wasm/hello-wat.wasm")));
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 300 }, (_, i) => i % 256)]);
const enc = (s: string) => new TextEncoder().encode(s);
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

const FILES: Record<string, Uint8Array> = {
  "static/index.html": enc("<h1>assets home</h1>\n"),
  "static/css/site.css": enc("body { color: red }\n"),
  "static/img/logo.png": PNG,
  "static/docs/index.html": enc("<p>docs</p>\n"),
  "static/a b.txt": enc("spaces\n"),
  "static/empty.txt": new Uint8Array(0),
  "static/data.bin": enc("0123456789"),
  "secret/config.json": enc('{"password":"hunter2"}'),
  "public/index.html": enc("<h1>root site</h1>\n"),
};

const reads: string[] = [];
function deployment(staticMounts: { path: string; dir: string }[], routes = [{ prefix: "/...", entrypoint: "_start" }]): ResolvedDeployment {
  const list = Object.entries(FILES).map(([p, data]) => ({ path: p, sha256: sha256(data), size: data.byteLength, contentType: contentTypeOf(p) }));
  const byHash = new Map(Object.values(FILES).map((data) => [sha256(data), data]));
  return {
    versionId: "v1",
    moduleHash: hashModule(HELLO),
    getModuleBytes: async () => HELLO,
    routes,
    env: {},
    files: { key: "files-v1", getEntries: async () => FILES },
    limits: {},
    static: createStaticSite({
      mounts: staticMounts,
      files: list,
      read: async (hash) => {
        reads.push(hash);
        return byHash.get(hash)!;
      },
    }),
  };
}

const APPS: Record<string, ResolvedDeployment> = {
  site: deployment([{ path: "/assets", dir: "static" }]),
  // The whole app is static except what a more specific wasm route claims.
  root: deployment([{ path: "/", dir: "public/" }], [
    { prefix: "/...", entrypoint: "_start" },
    { prefix: "/api/...", entrypoint: "_start" },
  ]),
};

let gateway: Gateway;
let base: string;
const logs: RequestLog[] = [];

beforeAll(async () => {
  const pool = await WorkerPool.create({ size: 1 });
  gateway = await createGateway({ resolve: async (_tenant, app) => APPS[app] ?? null, pool, onLog: (r) => logs.push(r) });
  await new Promise<void>((resolve) => gateway.server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await gateway?.close();
  await gateway?.pool.close();
});

/** A raw request to the app `demo/<app>` at its host name (fetch normalizes paths and hides some headers). */
function raw(app: string, pathname: string, options: { method?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const headers = { ...options.headers, host: new URL(appUrl(base, "demo", app)).host };
    const req = http.request(`${base}/`, { method: options.method ?? "GET", path: pathname, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

const logOf = (res: { headers: http.IncomingHttpHeaders }) => logs.find((l) => l.requestId === res.headers["x-request-id"]);

describe("static files through the gateway", () => {
  it("serves a file with its content type, a strong ETag (its sha256) and no wasm run", async () => {
    const res = await raw("site", "/assets/css/site.css");
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe("body { color: red }\n");
    expect(res.headers["content-type"]).toBe("text/css; charset=utf-8");
    expect(res.headers.etag).toBe(`"${sha256(FILES["static/css/site.css"]!)}"`);
    expect(res.headers["cache-control"]).toBe("public, max-age=0, must-revalidate");
    expect(res.headers["accept-ranges"]).toBe("bytes");
    expect(res.headers["content-length"]).toBe("20");
    const log = logOf(res)!;
    expect(log).toMatchObject({ status: 200, route: "static /assets", bytesOut: 20, versionId: "v1" });
    expect(log.computeMs).toBeUndefined();
    expect(log.memoryLimitMb).toBeUndefined();

    const png = await raw("site", "/assets/img/logo.png");
    expect(png.headers["content-type"]).toBe("image/png");
    expect(new Uint8Array(png.body)).toEqual(PNG);
  });

  it("answers paths outside the static prefix with the wasm module", async () => {
    const res = await raw("site", "/other");
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe("hello from WAT\n");
    expect(logOf(res)?.route).toBe("/...");
    // "/assetsX" is not under "/assets".
    expect((await raw("site", "/assetsX")).body.toString()).toBe("hello from WAT\n");
  });

  it("answers If-None-Match with 304, and reads each file's bytes once", async () => {
    const first = await raw("site", "/assets/data.bin");
    const etag = first.headers.etag!;
    const readsBefore = reads.filter((h) => h === sha256(FILES["static/data.bin"]!)).length;
    expect(readsBefore).toBe(1);
    for (const header of [etag, `"other", ${etag}`, `W/${etag}`, "*"]) {
      const res = await raw("site", "/assets/data.bin", { headers: { "if-none-match": header } });
      expect(res.status, header).toBe(304);
      expect(res.body.byteLength).toBe(0);
      expect(res.headers.etag).toBe(etag);
      expect(logOf(res)).toMatchObject({ status: 304, bytesOut: 0 });
    }
    const changed = await raw("site", "/assets/data.bin", { headers: { "if-none-match": '"something-else"' } });
    expect(changed.status).toBe(200);
    expect(reads.filter((h) => h === sha256(FILES["static/data.bin"]!)).length).toBe(1);
  });

  it("answers byte ranges with 206 and Content-Range, and unsatisfiable ones with 416", async () => {
    const url = "/assets/data.bin";
    const cases: [string, number, string, string][] = [
      ["bytes=2-5", 206, "2345", "bytes 2-5/10"],
      ["bytes=7-", 206, "789", "bytes 7-9/10"],
      ["bytes=-3", 206, "789", "bytes 7-9/10"],
      ["bytes=-50", 206, "0123456789", "bytes 0-9/10"],
      ["bytes=8-100", 206, "89", "bytes 8-9/10"],
    ];
    for (const [range, status, body, contentRange] of cases) {
      const res = await raw("site", url, { headers: { range } });
      expect({ range, status: res.status, body: res.body.toString(), contentRange: res.headers["content-range"] }).toEqual({ range, status, body, contentRange });
      expect(res.headers["content-length"]).toBe(String(body.length));
      expect(logOf(res)?.bytesOut).toBe(body.length);
    }
    for (const range of ["bytes=10-", "bytes=10-20", "bytes=-0"]) {
      const res = await raw("site", url, { headers: { range } });
      expect(res.status, range).toBe(416);
      expect(res.headers["content-range"]).toBe("bytes */10");
    }
    expect((await raw("site", "/assets/empty.txt", { headers: { range: "bytes=0-" } })).status).toBe(416);
    // Several ranges, another unit or a malformed header: the whole file.
    for (const range of ["bytes=0-1,4-5", "items=0-1", "bytes=5-2", "bytes=x-"]) {
      const res = await raw("site", url, { headers: { range } });
      expect({ range, status: res.status, body: res.body.toString() }).toEqual({ range, status: 200, body: "0123456789" });
    }
    // If-Range with the current ETag honours the range; with another one the whole file comes back.
    const etag = `"${sha256(FILES["static/data.bin"]!)}"`;
    expect((await raw("site", url, { headers: { range: "bytes=0-1", "if-range": etag } })).status).toBe(206);
    expect((await raw("site", url, { headers: { range: "bytes=0-1", "if-range": '"old"' } })).status).toBe(200);
  });

  it("answers HEAD with the headers of GET and no body, metered as 0 bytes out", async () => {
    const res = await raw("site", "/assets/img/logo.png", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers["content-length"]).toBe(String(PNG.byteLength));
    expect(res.headers["content-type"]).toBe("image/png");
    expect(res.headers.etag).toBe(`"${sha256(PNG)}"`);
    expect(res.body.byteLength).toBe(0);
    expect(logOf(res)).toMatchObject({ status: 200, bytesOut: 0 });
  });

  it("serves index.html for a directory, and redirects a directory named without its slash", async () => {
    expect((await raw("site", "/assets/")).body.toString()).toBe("<h1>assets home</h1>\n");
    expect((await raw("site", "/assets/docs/")).body.toString()).toBe("<p>docs</p>\n");
    const redirect = await raw("site", "/assets/docs?x=1");
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe("/assets/docs/?x=1");
    const top = await raw("site", "/assets");
    expect(top.status).toBe(301);
    expect(top.headers.location).toBe("/assets/");
    expect((await raw("site", "/assets/a%20b.txt")).body.toString()).toBe("spaces\n");
  });

  it("answers a missing file under the prefix with 404 (the wasm does not run) and other methods with 405", async () => {
    const missing = await raw("site", "/assets/nope.css");
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString()).error).toMatchObject({ code: "file-not-found" });
    expect(JSON.parse(missing.body.toString()).error.message).toMatch(/No file "static\/nope.css" in this version/);
    expect(logOf(missing)).toMatchObject({ status: 404, route: "static /assets" });
    expect((await raw("site", "/assets/img/")).status).toBe(404);
    const post = await raw("site", "/assets/css/site.css", { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET, HEAD");
  });

  it("refuses path traversal: .., encoded dots, slashes and backslashes, NUL", async () => {
    for (const attempt of [
      "/assets/..%2fsecret/config.json",
      "/assets/..%2Fsecret%2Fconfig.json",
      "/assets/..%5csecret%5cconfig.json",
      "/assets/css%2f..%2f..%2fsecret/config.json",
      "/assets/css/%00site.css",
      "/assets/%E0%A4%A",
    ]) {
      const res = await raw("site", attempt);
      expect({ attempt, status: res.status }).toEqual({ attempt, status: 400 });
      expect(res.body.toString()).not.toContain("hunter2");
    }
    // Raw or encoded "..", "\" and "." are resolved by URL parsing before routing: they can only
    // land on another path of the same app (here the wasm), never on a file outside the folder.
    for (const attempt of [
      "/assets/%2e%2e/secret/config.json",
      "/assets/%2E%2e/secret/config.json",
      "/assets/.%2e/secret/config.json",
      "/assets/../secret/config.json",
      "/assets/..\\secret\\config.json",
      "/assets/./../../site/secret/config.json",
    ]) {
      const res = await raw("site", attempt);
      expect(res.body.toString(), attempt).toBe("hello from WAT\n");
      expect(logOf(res)?.route, attempt).toBe("/...");
    }
    // Files outside the static folder exist in the version but are not served.
    const outside = await raw("site", "/assets/secret/config.json");
    expect(outside.status).toBe(404);
  });

  it("lets a more specific wasm route win over a static prefix", async () => {
    expect((await raw("root", "/")).body.toString()).toBe("<h1>root site</h1>\n");
    const api = await raw("root", "/api/x");
    expect(api.body.toString()).toBe("hello from WAT\n");
    expect(logOf(api)?.route).toBe("/api/...");
    // "/..." has the same prefix as the static "/": the files win, a missing file is a 404.
    expect((await raw("root", "/missing.html")).status).toBe(404);
  });
});

describe("static-files helpers", () => {
  it("parses single byte ranges", () => {
    expect(parseRange(undefined, 10)).toBeNull();
    expect(parseRange("bytes=0-0", 10)).toEqual({ start: 0, end: 0 });
    expect(parseRange("bytes=9-9", 10)).toEqual({ start: 9, end: 9 });
    expect(parseRange("bytes=-10", 10)).toEqual({ start: 0, end: 9 });
    expect(parseRange("bytes=-", 10)).toBeNull();
    expect(parseRange("bytes=0-", 0)).toBe("unsatisfiable");
    expect(parseRange("bytes=-1", 0)).toBe("unsatisfiable");
  });

  it("looks files up only inside the mount's folder", () => {
    const site = createStaticSite({
      mounts: [{ path: "/s/...", dir: "./pub" }],
      files: [
        { path: "pub/x.txt", sha256: "a", size: 1, contentType: "" },
        { path: "x.txt", sha256: "b", size: 1, contentType: "text/plain" },
      ],
      read: async () => new Uint8Array(),
    })!;
    const mount = site.mounts[0]!;
    expect(mount).toMatchObject({ prefix: "/s", dir: "pub" });
    expect(lookupStaticFile(site, mount, "/x.txt")).toMatchObject({ kind: "file", path: "pub/x.txt", meta: { contentType: "text/plain; charset=utf-8" } });
    expect(lookupStaticFile(site, mount, "//x.txt")).toEqual({ kind: "bad-path" });
    expect(lookupStaticFile(site, mount, "/%2e%2e/x.txt")).toEqual({ kind: "bad-path" });
    expect(lookupStaticFile(site, mount, "/.")).toEqual({ kind: "bad-path" });
  });

  it("caches by bytes: a file over a quarter of the budget is never kept", async () => {
    const cache = new StaticFileCache({ maxBytes: 100 });
    const small = enc("x".repeat(20));
    const big = enc("y".repeat(30));
    let count = 0;
    const read = async (hash: string) => {
      count++;
      return hash === sha256(small) ? small : big;
    };
    const meta = (b: Uint8Array) => ({ sha256: sha256(b), size: b.byteLength, contentType: "text/plain" });
    await Promise.all([cache.get(meta(small), read), cache.get(meta(small), read)]);
    await cache.get(meta(small), read);
    expect(count).toBe(1);
    await cache.get(meta(big), read);
    await cache.get(meta(big), read);
    expect(count).toBe(3);
    expect(cache.bytes).toBe(20);
    await expect(cache.get({ ...meta(small), sha256: "0".repeat(64) }, async () => small)).rejects.toThrow(/do not match their hash/);
  });
});
