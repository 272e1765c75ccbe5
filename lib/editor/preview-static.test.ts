// The preview answers paths under a `static:` prefix from the draft's files, as the gateway serves
// them, and leaves every other path to the module; the static site templates' own files included.
import { describe, expect, it } from "vitest";
import { answerStaticRequest, staticRoutesOf } from "./preview-static";
import { findEditorTemplate } from "./templates";

const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const MANIFEST = "module: main.wasm\nfiles: [static, docs]\nstatic:\n  - path: /assets\n    dir: static\n  - path: /assets/docs/...\n    dir: docs\n";
const FILES = {
  "wasmcompute.yaml": MANIFEST,
  "main.ts": "// not static",
  "static/index.html": "<h1>home</h1>",
  "static/css/site.css": "body{}",
  "static/a b.txt": "spaced",
  "static/logo.png": new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
  "docs/index.html": "<h1>docs</h1>",
};

describe("answerStaticRequest", () => {
  it("answers a file under the prefix with its content type and length", () => {
    const css = answerStaticRequest(MANIFEST, FILES, { method: "GET", path: "/assets/css/site.css" })!;
    expect(css.status).toBe(200);
    expect(css.headers).toEqual([["content-type", "text/css; charset=utf-8"], ["content-length", "6"]]);
    expect(decode(css.body)).toBe("body{}");
    expect(css.file).toBe("static/css/site.css");
    const png = answerStaticRequest(MANIFEST, FILES, { method: "GET", path: "/assets/logo.png?v=2" })!;
    expect(png.headers[0]).toEqual(["content-type", "image/png"]);
    expect([...png.body]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(decode(answerStaticRequest(MANIFEST, FILES, { method: "GET", path: "/assets/a%20b.txt" })!.body)).toBe("spaced");
  });

  it("serves index.html for the prefix itself and for folders; the longest prefix wins", () => {
    for (const path of ["/assets", "/assets/"]) expect(decode(answerStaticRequest(MANIFEST, FILES, { method: "GET", path })!.body)).toBe("<h1>home</h1>");
    expect(decode(answerStaticRequest(MANIFEST, FILES, { method: "GET", path: "/assets/docs/" })!.body)).toBe("<h1>docs</h1>");
  });

  it("leaves paths outside every prefix to the module", () => {
    for (const path of ["/", "/api/hello", "/assetsx/index.html", "/main.ts"]) expect(answerStaticRequest(MANIFEST, FILES, { method: "GET", path })).toBeNull();
    expect(answerStaticRequest("module: main.wasm\n", FILES, { method: "GET", path: "/assets/index.html" })).toBeNull();
    expect(answerStaticRequest("static: [oops", FILES, { method: "GET", path: "/assets/index.html" })).toBeNull();
    expect(answerStaticRequest(undefined, FILES, { method: "GET", path: "/assets/index.html" })).toBeNull();
  });

  it("404s a missing file, refuses to leave the folder, and allows only GET and HEAD", () => {
    expect(answerStaticRequest(MANIFEST, FILES, { method: "GET", path: "/assets/nope.js" })!.status).toBe(404);
    expect(answerStaticRequest(MANIFEST, FILES, { method: "GET", path: "/assets/%2e%2e/main.ts" })!.status).toBe(404);
    expect(answerStaticRequest(MANIFEST, FILES, { method: "GET", path: "/assets/%zz" })!.status).toBe(400);
    const post = answerStaticRequest(MANIFEST, FILES, { method: "POST", path: "/assets/index.html" })!;
    expect(post.status).toBe(405);
    expect(post.headers).toContainEqual(["allow", "GET, HEAD"]);
    const head = answerStaticRequest(MANIFEST, FILES, { method: "HEAD", path: "/assets/index.html" })!;
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers).toContainEqual(["content-length", "13"]);
  });

  it.each(["as-static-site", "wat-static-site"])("%s: the site's three files are served from the preview", (id) => {
    const { files } = findEditorTemplate(id)!;
    expect(staticRoutesOf(files["wasmcompute.yaml"])).toEqual([{ path: "/assets", dir: "static" }]);
    const type = (path: string) => answerStaticRequest(files["wasmcompute.yaml"], files, { method: "GET", path })!.headers[0]![1];
    expect(type("/assets/index.html")).toBe("text/html; charset=utf-8");
    expect(type("/assets/style.css")).toBe("text/css; charset=utf-8");
    expect(type("/assets/app.js")).toBe("text/javascript; charset=utf-8");
    expect(answerStaticRequest(files["wasmcompute.yaml"], files, { method: "GET", path: "/api/hello" })).toBeNull();
  });
});
