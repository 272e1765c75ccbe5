// A version's files end to end on the real platform (console + gateway processes, PostgreSQL):
// published through the API, read by the guest from the read-only /app preopen (WASI-testsuite
// style checks in fixtures/c/app-files.c), served by the gateway under `static:` without wasm
// (ETag/304, Range/206, logged and metered), listed and downloaded through the API, and a 404 for
// another tenant everywhere.
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePng } from "@/e2e/files/png";
import { ConsoleClient, apiWithToken, publishForm, type TestAccount } from "@/lib/testing/console-client";
import { startPlatform, type Platform } from "@/lib/testing/platform";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { waitUntil } from "@/lib/testing/wait-until";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";

const ROOT = path.resolve(import.meta.dirname, "../..");
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const enc = (s: string) => new TextEncoder().encode(s);

const LOGO = makePng(16, 16, (x, y) => [x * 16, y * 16, 128]);
const FILES: Record<string, Uint8Array> = {
  "hello.txt": enc("hello from /app\n"),
  "docs/a.txt": enc("A\n"),
  "docs/deep/b.md": enc("# deep\n\nnested two levels down\n"),
  "static/index.html": enc("<!doctype html><h1>static home</h1>\n"),
  "static/logo.png": LOGO,
  "static/app.js": enc("console.log('static');\n"),
  "static/evil.svg": enc('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script><rect width="4" height="4"/></svg>'),
};
const MANIFEST = "files:\n  - hello.txt\n  - docs\n  - static\nstatic:\n  - path: /assets\n    dir: static\n";

let database: TestDatabase;
let platform: Platform;
let dataDir: string;
let account: TestAccount;
let alice: ReturnType<typeof apiWithToken>;
let bob: ReturnType<typeof apiWithToken>;
let module: Uint8Array;

const json = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const app = (rest: string, init?: RequestInit) => fetchApp(appUrl(platform.gatewayUrl, account.tenant, "site", rest), init);
const text = async (rest: string) => {
  const res = await app(rest);
  return { status: res.status, body: await res.text() };
};


beforeAll(async () => {
  module = new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm/app-files.wasm")));
  database = await createTestDatabase("postgres");
  dataDir = await mkdtemp(path.join(os.tmpdir(), "wc-files-"));
  platform = await startPlatform({ dataDir, databaseUrl: database.url });
  const a = new ConsoleClient(platform.consoleUrl);
  account = await a.signUp();
  alice = apiWithToken(platform.consoleUrl, await a.createToken("deploy"));
  const b = new ConsoleClient(platform.consoleUrl);
  await b.signUp();
  bob = apiWithToken(platform.consoleUrl, await b.createToken("admin"));
  for (const api of [alice, bob]) expect((await api("/api/v1/apps", json({ name: "site" }))).status).toBe(201);
  const published = await alice("/api/v1/apps/site/versions", { method: "POST", body: publishForm("1.0.0", module, MANIFEST, FILES) });
  expect(published.status, await published.clone().text()).toBe(201);
  expect((await alice("/api/v1/apps/site/deployments", json({ version: "1.0.0" }))).status).toBe(201);
  await waitUntil(async () => (await app("/stat/hello.txt")).status === 200);
}, 180_000);

afterAll(async () => {
  await platform?.stop();
  await database?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("the guest reads the version's files at /app", () => {
  it("walks the tree with fd_readdir and sees every published file with its size", async () => {
    const dirs = new Set<string>();
    for (const p of Object.keys(FILES)) for (let i = p.indexOf("/"); i > 0; i = p.indexOf("/", i + 1)) dirs.add(`${p.slice(0, i)}/`);
    const expected = [...dirs, ...Object.entries(FILES).map(([p, data]) => `${p}\t${data.byteLength}`)].sort();
    const { status, body } = await text("/tree");
    expect(status).toBe(200);
    expect(body.split("\n").filter(Boolean)).toEqual(expected);
  });

  it("lists one folder with entry types, and stats files and folders", async () => {
    expect((await text("/ls/docs")).body).toBe("a.txt\tfile\ndeep\tdir\n");
    expect((await text("/ls")).body).toBe("docs\tdir\nhello.txt\tfile\nstatic\tdir\n");
    expect((await text("/stat/docs/deep")).body).toBe("dir\n");
    expect((await text("/stat/docs/deep/b.md")).body).toBe(`file ${FILES["docs/deep/b.md"]!.byteLength}\n`);
    expect((await text("/stat/missing.txt")).body).toBe("ENOENT\n");
    expect(await text("/ls/hello.txt")).toEqual({ status: 404, body: "ENOTDIR\n" });
  });

  it("reads text and binary files byte for byte through path_open and fd_read", async () => {
    for (const p of ["hello.txt", "docs/deep/b.md", "static/logo.png"]) {
      const res = await app(`/cat/${p}`);
      expect(res.status, p).toBe(200);
      expect(new Uint8Array(await res.arrayBuffer()), p).toEqual(FILES[p]);
    }
    expect(await text("/cat/docs/nope.txt")).toEqual({ status: 404, body: "ENOENT\n" });
  });

  it("is read-only: every write fails with EROFS and nothing changes", async () => {
    const lines = Object.fromEntries((await text("/write?hello.txt")).body.trim().split("\n").map((l) => l.split("\t") as [string, string]));
    expect(lines).toEqual({
      create: "EROFS",
      "open-write": "EROFS",
      "open-append": "EROFS",
      truncate: "EROFS",
      mkdir: "EROFS",
      unlink: "EROFS",
      rename: "EROFS",
      after: String(FILES["hello.txt"]!.byteLength),
      "new-exists": "no",
    });
    // And the next request sees the same files.
    expect(new Uint8Array(await (await app("/cat/hello.txt")).arrayBuffer())).toEqual(FILES["hello.txt"]);
  });

  it("refuses every way out of /app", async () => {
    const lines = Object.fromEntries((await text("/escape")).body.trim().split("\n").map((l) => l.split("\t") as [string, string]));
    expect(lines).toEqual({
      preopen: "/app",
      "raw ../": "ENOTCAPABLE",
      "raw absolute": "ENOTCAPABLE",
      "raw nested ../": "ENOTCAPABLE",
      "libc /app/..": "ENOTCAPABLE",
      "libc /etc": "ENOTCAPABLE",
      "libc inside": "OK",
    });
  });
});

describe("the gateway serves static: prefixes from the files, without running wasm", () => {
  it("answers with the content type, ETag = sha256, 304 and ranges, and logs it like any request", async () => {
    const res = await app("/assets/logo.png");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("etag")).toBe(`"${sha256(LOGO)}"`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(LOGO);
    expect((await app("/assets/app.js")).headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await text("/assets/")).toEqual({ status: 200, body: "<!doctype html><h1>static home</h1>\n" });

    const notModified = await app("/assets/logo.png", { headers: { "if-none-match": `"${sha256(LOGO)}"` } });
    expect(notModified.status).toBe(304);
    const part = await app("/assets/logo.png", { headers: { range: "bytes=0-7" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 0-7/${LOGO.byteLength}`);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(LOGO.subarray(0, 8));
    expect((await app("/assets/logo.png", { headers: { range: `bytes=${LOGO.byteLength}-` } })).status).toBe(416);
    expect((await app("/assets/hello.txt")).status).toBe(404);
    expect((await app("/assets/..%2fhello.txt")).status).toBe(400);

    // The access record: a static route, the body bytes sent, no guest memory.
    const requestId = res.headers.get("x-request-id")!;
    const { request } = await waitUntil(async () => {
      const r = await alice(`/api/v1/apps/site/logs/requests/${requestId}`);
      return r.status === 200 ? ((await r.json()) as { request: Record<string, unknown> }) : null;
    });
    expect(request).toMatchObject({ status: 200, route: "static /assets", bytesOut: LOGO.byteLength, version: "1.0.0", memoryBytes: null });
  });

  it("serves the new version's bytes (and ETag) after a deploy", async () => {
    const logo2 = makePng(8, 8, () => [255, 0, 0]);
    const form = publishForm("2.0.0", module, MANIFEST, { ...FILES, "static/logo.png": logo2 });
    expect((await alice("/api/v1/apps/site/versions", { method: "POST", body: form })).status).toBe(201);
    // New files taint the version: deploying it is an explicit choice.
    expect((await alice("/api/v1/apps/site/deployments", json({ version: "2.0.0" }))).status).toBe(409);
    expect((await alice("/api/v1/apps/site/deployments", json({ version: "2.0.0", unsafe: true }))).status).toBe(201);
    const res = await waitUntil(async () => {
      const r = await app("/assets/logo.png");
      return r.headers.get("etag") === `"${sha256(logo2)}"` ? r : null;
    });
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(logo2);
    // The guest sees the new file too (once every gateway process has seen the deploy: npm start
    // runs one per core, each polling the routing epoch).
    const guestRead = await waitUntil(async () => {
      const bytes = new Uint8Array(await (await app("/cat/static/logo.png")).arrayBuffer());
      return bytes.length === logo2.length ? bytes : null;
    });
    expect(guestRead).toEqual(logo2);

    // An explicit version route serves that version's files under the same prefix.
    expect((await alice("/api/v1/apps/site/deployments", json({ version: "1.0.0", route: "v/1.0.0", unsafe: true }))).status).toBe(201);
    const old = await waitUntil(async () => {
      const r = await app("/v/1.0.0/assets/logo.png");
      return r.status === 200 ? r : null;
    });
    expect(old.headers.get("etag")).toBe(`"${sha256(LOGO)}"`);
    expect(new Uint8Array(await old.arrayBuffer())).toEqual(LOGO);
    // Waited for as well: the request above may have reached a gateway process that saw the new
    // route first, and this one another (npm start runs one per core, each polling the epoch).
    const redirect = await waitUntil(async () => {
      const r = await app("/v/1.0.0/assets", { redirect: "manual" });
      return r.status === 404 ? null : r;
    });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get("location")).toBe("/v/1.0.0/assets/");
  });
});

describe("files API", () => {
  it("lists a version's files with sizes, content types and hashes", async () => {
    const res = await alice("/api/v1/apps/site/versions/1.0.0/files");
    expect(res.status).toBe(200);
    const { files } = (await res.json()) as { files: { path: string; size: number; sha256: string; contentType: string }[] };
    expect(files).toEqual(
      Object.keys(FILES)
        .sort()
        .map((p) => ({ path: p, size: FILES[p]!.byteLength, sha256: sha256(FILES[p]!), contentType: expect.any(String) })),
    );
    expect(files.find((f) => f.path === "static/logo.png")?.contentType).toBe("image/png");
  });

  it("answers a file's bytes: images inline, anything else (SVG too) as a sandboxed attachment", async () => {
    const png = await alice("/api/v1/apps/site/versions/1.0.0/files/static/logo.png");
    expect(png.status).toBe(200);
    expect(png.headers.get("content-type")).toBe("image/png");
    expect(png.headers.get("etag")).toBe(`"${sha256(LOGO)}"`);
    expect(png.headers.get("content-disposition")).toMatch(/^inline/);
    expect(new Uint8Array(await png.arrayBuffer())).toEqual(LOGO);

    const svg = await alice("/api/v1/apps/site/versions/1.0.0/files/static/evil.svg");
    expect(svg.headers.get("content-type")).toBe("image/svg+xml");
    expect(svg.headers.get("content-disposition")).toMatch(/^attachment/);
    expect(svg.headers.get("content-security-policy")).toMatch(/sandbox/);
    expect(svg.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
    expect(svg.headers.get("x-content-type-options")).toBe("nosniff");

    const html = await alice("/api/v1/apps/site/versions/1.0.0/files/static/index.html");
    expect(html.headers.get("content-type")).toBe("application/octet-stream");
    expect(html.headers.get("x-file-content-type")).toBe("text/html; charset=utf-8");
    expect(await html.text()).toBe("<!doctype html><h1>static home</h1>\n");

    const missing = await alice("/api/v1/apps/site/versions/1.0.0/files/static/nope.txt");
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.message).toMatch(/has no file "static\/nope.txt"/);
    expect((await alice("/api/v1/apps/site/versions/9.9.9/files")).status).toBe(404);
  });

  it("gives another tenant a 404, even with an app of the same name", async () => {
    for (const url of ["/api/v1/apps/site/versions/1.0.0/files", "/api/v1/apps/site/versions/1.0.0/files/hello.txt", "/api/v1/apps/site/versions/1.0.0/files/static/logo.png"]) {
      const res = await bob(url);
      expect({ url, status: res.status }).toEqual({ url, status: 404 });
      expect(await res.text()).not.toContain("hello from /app");
    }
    expect((await fetch(`${platform.consoleUrl}/api/v1/apps/site/versions/1.0.0/files/hello.txt`)).status).toBe(401);
  });
});
