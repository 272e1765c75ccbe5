// Every editor template compiles cleanly with the same code the browser's compile worker runs, and
// answers as its description says through lib/wasm's runWagi (the gateway's and the preview's host).
import asc from "assemblyscript/asc";
import * as esbuild from "esbuild";
import wabtInit from "wabt";
import { beforeAll, describe, expect, it } from "vitest";
import { runWagi, type HostCallbacks } from "@/lib/wasm";
import { projectKind } from "@/lib/sources/source-files";
import { compileAssemblyScript, type AscLike } from "@/lib/editor/compile-as";
import { compileWat, type WabtLike } from "@/lib/editor/compile-wat";
import { compileJs } from "@/lib/editor/compile-js";
import { parseManifest } from "@/lib/manifest/parse-manifest";
import { templateFiles } from "./template-files";
import { EDITOR_TEMPLATES, editorTemplateForApp, findEditorTemplate, TEMPLATES, templateFilesFor } from "./templates";

let wabt: WabtLike;
beforeAll(async () => {
  wabt = (await wabtInit()) as unknown as WabtLike;
});

async function build(files: Record<string, string>) {
  const kind = projectKind(files);
  if (kind.language === "assemblyscript") return compileAssemblyScript(asc as unknown as AscLike, files, kind.entry);
  if (kind.language === "wat") return compileWat(wabt, files[kind.entry]!, kind.entry);
  throw new Error(`unexpected project ${kind.language}`);
}

function run(wasm: Uint8Array, path = "/", init: { method?: string; body?: string; headers?: [string, string][]; host?: HostCallbacks; mount?: string } = {}) {
  const body = new TextEncoder().encode(init.body ?? "");
  const mount = init.mount ?? "";
  const res = runWagi({
    module: new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>),
    request: { method: init.method ?? "GET", url: `http://preview.local${mount}${path}`, headers: [...(init.headers ?? []), ["content-length", String(body.length)]], body, remoteAddr: "127.0.0.1", route: `${mount}/...` },
    ...(init.host ? { host: init.host } : {}),
  });
  return { ...res, text: new TextDecoder().decode(res.body) };
}

describe("the catalog", () => {
  it("gives every template one id, used by the console and the IDE alike", () => {
    const ids = TEMPLATES.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    // An app created from a listed template the IDE can compile opens with that template's sources.
    for (const t of TEMPLATES.filter((t) => t.listed && t.editorFiles)) expect(editorTemplateForApp(t.id).id).toBe(t.id);
    // Any other app (empty, C, Rust, none) opens with the AssemblyScript hello.
    for (const other of ["empty", "hello-c", "hello-rust", null, "gone"]) expect(editorTemplateForApp(other).id).toBe("hello-as");
    expect(() => templateFiles("form-wat", "x")).toThrow(/Template "form-wat" not found/);
  });
});

describe("editor templates", () => {
  it.each(["hello-ts", "json-api-js"])("%s is a JavaScript app in the IDE and bundles without diagnostics", async (id) => {
    const files = findEditorTemplate(id)!.editorFiles;
    const kind = projectKind(files);
    expect(kind).toEqual(id === "hello-ts" ? { language: "javascript", entry: "src/index.ts", bundle: true } : { language: "javascript", entry: "_worker.js", bundle: false });
    const result = await compileJs(esbuild, files, kind.language === "javascript" ? kind.entry : "");
    expect(result.diagnostics).toEqual([]);
    expect(new TextDecoder().decode(result.script!)).toContain("export {");
  });

  it.each(EDITOR_TEMPLATES.filter((t) => t.language === "assemblyscript" || t.language === "wat").map((t) => [t.id, t] as const))("%s compiles without diagnostics", async (_id, template) => {
    const result = await build(template.editorFiles);
    expect(result.diagnostics).toEqual([]);
    expect(result.wasm).toBeInstanceOf(Uint8Array);
    expect(WebAssembly.validate(result.wasm! as Uint8Array<ArrayBuffer>)).toBe(true);
  });

  it("AssemblyScript hello answers text and logs through the SDK", async () => {
    const { wasm } = await build(findEditorTemplate("hello-as")!.editorFiles);
    const logs: string[] = [];
    const res = run(wasm!, "/", { host: { log: (_level, message) => void logs.push(message) } });
    expect(res.error).toBeUndefined();
    expect(res.status).toBe(200);
    expect(res.text).toBe("Hello from AssemblyScript!\n");
    expect(logs).toEqual(["hello: GET /"]);
  });

  it("AssemblyScript JSON API routes, reads the body and answers 404s", async () => {
    const { wasm } = await build(findEditorTemplate("json-api-as")!.editorFiles);
    expect(JSON.parse(run(wasm!, "/items").text)).toEqual({ items: ["apple", "banana", "cherry"] });
    expect(JSON.parse(run(wasm!, "/items/1").text)).toEqual({ index: 1, item: "banana" });
    const echo = run(wasm!, "/echo", { method: "POST", body: 'say "hi"' });
    expect(JSON.parse(echo.text)).toEqual({ received: 'say "hi"' });
    const missing = run(wasm!, "/nope");
    expect(missing.status).toBe(404);
    expect(missing.headers).toContainEqual(["content-type", "application/json"]);
  });

  it("AssemblyScript form handler decodes url-encoded fields", async () => {
    const { wasm } = await build(findEditorTemplate("form-as")!.editorFiles);
    expect(run(wasm!, "/").text).toContain("<form");
    const posted = run(wasm!, "/", { method: "POST", body: "name=Ada+L%C3%B6velace%3C" });
    expect(posted.text).toBe("<h1>Thanks, Ada Lövelace&lt;!</h1>");
  });

  it.each(["kv-counter-as", "kv-counter-wat"])("%s counts in a store and says so without one", async (id) => {
    const { wasm } = await build(findEditorTemplate(id)!.editorFiles);
    const none = run(wasm!, "/");
    expect(none.status).toBe(503);
    expect(none.text).toMatch(/no store/);
    const store = new Map<string, Uint8Array>();
    const kv = {
      get: (k: string) => store.get(k) ?? null,
      set: (k: string, v: Uint8Array) => void store.set(k, v.slice()),
      delete: (k: string) => store.delete(k),
      list: (p: string) => [...store.keys()].filter((k) => k.startsWith(p)).sort(),
    };
    expect(JSON.parse(run(wasm!, "/", { host: { kv } }).text)).toEqual({ count: 1 });
    expect(JSON.parse(run(wasm!, "/", { host: { kv } }).text)).toEqual({ count: 2 });
  });

  it("WAT hello and JSON API answer", async () => {
    const hello = await build(findEditorTemplate("hello-wat")!.editorFiles);
    expect(run(hello.wasm!).text).toBe("Hello from WAT!\n");
    const { wasm } = await build(findEditorTemplate("json-api-wat")!.editorFiles);
    expect(JSON.parse(run(wasm!, "/").text).routes).toEqual(["/", "/health", "/method"]);
    expect(JSON.parse(run(wasm!, "/health").text)).toEqual({ ok: true });
    expect(JSON.parse(run(wasm!, "/method", { method: "DELETE" }).text)).toEqual({ method: "DELETE" });
    expect(run(wasm!, "/x").status).toBe(404);
  });
});

describe("static site + API templates", () => {
  it.each(["static-site-as", "static-site-wat"])("%s: the manifest serves static/ at /assets and mounts it at /app", (id) => {
    const { editorFiles: files } = findEditorTemplate(id)!;
    const manifest = parseManifest(files["wasmcompute.yaml"]!);
    expect(manifest.static).toEqual([{ path: "/assets", dir: "static" }]);
    expect(manifest.files).toEqual(["static"]);
    for (const f of ["static/index.html", "static/style.css", "static/app.js"]) expect(files[f], f).toBeTruthy();
    expect(files["static/index.html"]).toContain('href="style.css"');
    expect(files["static/index.html"]).toContain('src="app.js"');
    expect(files["static/app.js"]).toContain('fetch("../api/hello');
    // The console template of the same name hands the editor these files, named for the app.
    const named = templateFilesFor(findEditorTemplate(id)!, "site");
    expect(parseManifest(named["wasmcompute.yaml"]!)).toMatchObject({ name: "site", static: manifest.static, files: manifest.files });
    // The same template in the console (Create app, `wasmcompute new`) is these very files.
    const fromConsole = Object.fromEntries(templateFiles(id, "site").map((f) => [f.path, new TextDecoder().decode(f.data)]));
    expect(fromConsole).toEqual(named);
    expect(editorTemplateForApp(id).id).toBe(id);
  });

  it.each([
    ["static-site-as", { message: "Hello, static site!", from: "AssemblyScript" }],
    ["static-site-wat", { message: "Hello from the WAT API!", method: "GET" }],
  ] as const)("%s: the API answers JSON, the root redirects to the site below the mount point", async (id, hello) => {
    const { wasm } = await build(findEditorTemplate(id)!.editorFiles);
    const api = run(wasm!, "/api/hello?name=static%20site", { mount: "/acme/site" });
    expect(api.error).toBeUndefined();
    expect(api.status).toBe(200);
    expect(api.headers).toContainEqual(["content-type", "application/json"]);
    expect(JSON.parse(api.text)).toEqual(hello);

    const root = run(wasm!, "/", { mount: "/acme/site" });
    expect(root.status).toBe(302);
    expect(root.headers).toContainEqual(["location", "/acme/site/assets/index.html"]);
    // Mounted at the root, SCRIPT_NAME is "/": the Location must not become "//assets/…".
    expect(run(wasm!, "/").headers).toContainEqual(["location", "/assets/index.html"]);

    const missing = run(wasm!, "/api/nope", { mount: "/acme/site" });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text).error).toBeTruthy();
  });
});

describe("WAT form handler", () => {
  it("GET answers the form", async () => {
    const { wasm } = await build(findEditorTemplate("form-wat")!.editorFiles);
    const res = run(wasm!, "/");
    expect(res.headers).toContainEqual(["content-type", "text/html; charset=utf-8"]);
    expect(res.text).toContain('<form method="post">');
    expect(res.text).toContain('name="message"');
  });

  it("POST echoes every url-encoded field, percent-decoded and HTML-escaped", async () => {
    const { wasm } = await build(findEditorTemplate("form-wat")!.editorFiles);
    const body = new URLSearchParams([["name", "Ada Lövelace"], ["message", `<b>"hi" & 'bye'</b>`], ["empty", ""]]).toString() + "&&flag&bad=%zz%4";
    const res = run(wasm!, "/", { method: "POST", body, headers: [["content-type", "application/x-www-form-urlencoded"]] });
    expect(res.error).toBeUndefined();
    expect(res.status).toBe(200);
    const fields = [...res.text.matchAll(/<dt>(.*?)<\/dt><dd>(.*?)<\/dd>/g)].map((m) => [m[1], m[2]]);
    expect(fields).toEqual([
      ["name", "Ada Lövelace"],
      ["message", "&lt;b&gt;&quot;hi&quot; &amp; &#39;bye&#39;&lt;/b&gt;"],
      ["empty", ""],
      ["flag", ""],
      ["bad", "%zz%4"],
    ]);
    expect(res.text).toContain("<h1>Thanks! You sent:</h1>");
  });

  it("a body larger than one read is read whole", async () => {
    const { wasm } = await build(findEditorTemplate("form-wat")!.editorFiles);
    const long = "x".repeat(9000);
    const res = run(wasm!, "/", { method: "POST", body: `a=${long}&b=2` });
    expect(res.text).toContain(`<dt>a</dt><dd>${long}</dd>`);
    expect(res.text).toContain("<dt>b</dt><dd>2</dd>");
  });
});

describe("compile errors", () => {
  it("AssemblyScript: a type error is reported at its line and column in the user's file", async () => {
    const files = { "main.ts": 'import { text } from "wasmcompute";\nconst n: i32 = "nope";\ntext("x");\n' };
    const result = await build(files);
    expect(result.wasm).toBeNull();
    expect(result.diagnostics[0]).toMatchObject({ file: "main.ts", line: 2, column: 16, severity: "error" });
  });

  it("AssemblyScript: errors in a second file point into that file", async () => {
    const files = { "main.ts": 'import { greet } from "./util";\nimport { text } from "wasmcompute";\ntext(greet());\n', "util.ts": "export function greet(): string {\n  return 42;\n}\n" };
    const result = await build(files);
    expect(result.diagnostics[0]).toMatchObject({ file: "util.ts", line: 2, severity: "error" });
  });

  it("WAT: a syntax error is reported at its line and column", async () => {
    const result = await build({ "main.wat": '(module\n  (func (export "_start")\n    (i32.add (i32.const 1) (oops))))\n' });
    expect(result.wasm).toBeNull();
    expect(result.diagnostics[0]).toMatchObject({ file: "main.wat", line: 3, severity: "error" });
  });
});
