// The preview answers paths under a `static:` prefix from the draft's files the way the gateway
// does (docs/manifest.md "Static files"), and leaves every other path to the module; the static
// site templates' own files included.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { answerStaticRequest, staticSettingsOf } from "./preview-static";
import { findEditorTemplate } from "@/lib/templates/templates";

const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const sha = (text: string) => `"${createHash("sha256").update(text).digest("hex")}"`;
const MANIFEST = "module: main.wasm\nfiles: [static, docs]\nstatic:\n  - path: /assets\n    dir: static\n  - path: /assets/docs/...\n    dir: docs\n";
const FILES = {
  "wasmcompute.yaml": MANIFEST,
  "main.ts": "// not static",
  "static/index.html": "<h1>home</h1>",
  "static/css/site.css": "body{}",
  "static/a b.txt": "spaced",
  "static/logo.png": new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
  "static/guide/index.html": "<h1>guide</h1>",
  "docs/index.html": "<h1>docs</h1>",
};
const get = (path: string, extra: { method?: string; headers?: [string, string][]; base?: string } = {}) => answerStaticRequest(MANIFEST, FILES, { method: extra.method ?? "GET", path, headers: extra.headers ?? [], base: extra.base ?? "" });
const header = (headers: [string, string][], name: string) => headers.find(([k]) => k === name)?.[1];

describe("answerStaticRequest", () => {
  it("answers a file under the prefix with the gateway's headers", async () => {
    const css = (await get("/assets/css/site.css"))!;
    expect(css.status).toBe(200);
    expect(css.headers).toEqual([
      ["content-type", "text/css; charset=utf-8"],
      ["etag", sha("body{}")],
      ["cache-control", "public, max-age=0, must-revalidate"],
      ["accept-ranges", "bytes"],
      ["x-content-type-options", "nosniff"],
      ["content-length", "6"],
    ]);
    expect(decode(css.body)).toBe("body{}");
    expect(css.file).toBe("static/css/site.css");
    const png = (await get("/assets/logo.png?v=2"))!;
    expect(header(png.headers, "content-type")).toBe("image/png");
    expect([...png.body]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(decode((await get("/assets/a%20b.txt"))!.body)).toBe("spaced");
  });

  it("serves index.html for a folder with a slash, redirects one without, and the longest prefix wins", async () => {
    expect(decode((await get("/assets/"))!.body)).toBe("<h1>home</h1>");
    expect(decode((await get("/assets/guide/"))!.body)).toBe("<h1>guide</h1>");
    expect(decode((await get("/assets/docs/"))!.body)).toBe("<h1>docs</h1>");
    const prefix = (await get("/assets?x=1", { base: "/acme/site" }))!;
    expect(prefix.status).toBe(301);
    expect(header(prefix.headers, "location")).toBe("/acme/site/assets/?x=1");
    expect(header((await get("/assets/guide"))!.headers, "location")).toBe("/assets/guide/");
  });

  it("leaves paths outside every prefix, and longer wasm routes, to the module", async () => {
    for (const path of ["/", "/api/hello", "/assetsx/index.html", "/main.ts"]) expect(await get(path)).toBeNull();
    const files = { "public/index.html": "<p>hi</p>" };
    const site = "static:\n  - path: /\n    dir: public\nroutes:\n  - path: /api/...\n";
    expect(await answerStaticRequest(site, files, { method: "GET", path: "/api/x" })).toBeNull();
    expect((await answerStaticRequest(site, files, { method: "GET", path: "/" }))!.status).toBe(200);
    // On a tie (the default route /... against static /) the files win.
    expect((await answerStaticRequest("static:\n  - path: /\n    dir: public\n", files, { method: "GET", path: "/" }))!.status).toBe(200);
    expect(await answerStaticRequest("module: main.wasm\n", FILES, { method: "GET", path: "/assets/index.html" })).toBeNull();
    expect(await answerStaticRequest("static: [oops", FILES, { method: "GET", path: "/assets/index.html" })).toBeNull();
    expect(await answerStaticRequest(undefined, FILES, { method: "GET", path: "/assets/index.html" })).toBeNull();
  });

  it("answers 404, 400 and 405 as the gateway's JSON errors", async () => {
    const missing = (await get("/assets/nope.js"))!;
    expect(missing.status).toBe(404);
    expect(JSON.parse(decode(missing.body)).error.code).toBe("file-not-found");
    for (const path of ["/assets/%2e%2e/main.ts", "/assets/a%2Fb", "/assets/%zz"]) expect((await get(path))!.status, path).toBe(400);
    const post = (await get("/assets/index.html", { method: "POST" }))!;
    expect(post.status).toBe(405);
    expect(header(post.headers, "allow")).toBe("GET, HEAD");
    expect(JSON.parse(decode(post.body)).error.code).toBe("method-not-allowed");
  });

  it("HEAD, If-None-Match and ranges", async () => {
    const head = (await get("/assets/index.html", { method: "HEAD" }))!;
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(header(head.headers, "content-length")).toBe("13");
    const etag = sha("<h1>home</h1>");
    expect((await get("/assets/index.html", { headers: [["If-None-Match", etag]] }))!.status).toBe(304);
    expect((await get("/assets/index.html", { headers: [["if-none-match", '"other"']] }))!.status).toBe(200);
    const part = (await get("/assets/index.html", { headers: [["range", "bytes=1-2"]] }))!;
    expect(part.status).toBe(206);
    expect(decode(part.body)).toBe("h1");
    expect(header(part.headers, "content-range")).toBe("bytes 1-2/13");
    expect(decode((await get("/assets/index.html", { headers: [["range", "bytes=-5"]] }))!.body)).toBe("home</h1>".slice(-5));
    expect((await get("/assets/index.html", { headers: [["range", "bytes=99-"]] }))!.status).toBe(416);
    expect((await get("/assets/index.html", { headers: [["range", "bytes=1-2"], ["if-range", '"stale"']] }))!.status).toBe(200);
  });

  it.each(["static-site-as", "static-site-wat"])("%s: the site's three files are served from the preview", async (id) => {
    const { editorFiles: files } = findEditorTemplate(id)!;
    expect(staticSettingsOf(files["wasmcompute.yaml"]).static).toEqual([{ path: "/assets", dir: "static" }]);
    const type = async (path: string) => header((await answerStaticRequest(files["wasmcompute.yaml"], files, { method: "GET", path }))!.headers, "content-type");
    expect(await type("/assets/index.html")).toBe("text/html; charset=utf-8");
    expect(await type("/assets/style.css")).toBe("text/css; charset=utf-8");
    expect(await type("/assets/app.js")).toBe("text/javascript; charset=utf-8");
    expect(await answerStaticRequest(files["wasmcompute.yaml"], files, { method: "GET", path: "/api/hello" })).toBeNull();
  });
});
