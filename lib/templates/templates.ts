// The one catalog of app templates, read by the console (Create app, GET /templates, `wasmcompute
// new`) and by the IDE (its template menu, and what a new app opens with). One id per template:
// an app created from "hello-wat" opens in the editor with that template's source tree.
// Isomorphic (no node:*): the browser bundle loads it. The bytes of files that live in this
// repository (prebuilt modules, fixture sources) are read by template-files.ts, on the server.
import type { TemplateLanguage } from "@/lib/api-shapes/template-shapes";
import { EDITOR_SOURCES, manifestText } from "./template-sources";
import { HELLO_TS_SOURCE, HELLO_TS_WORKER, JSON_API_JS, JS_API_MANIFEST, JS_MANIFEST, jsReadme } from "./js-template-sources";
import { JS_ENGINE_PATH, JS_WORKER_FILE } from "@/lib/javascript/js-app";

export { manifestText };

/** A file of a new app folder: literal text, or a file of this repository (built by scripts/build-fixtures.sh). */
export type TemplateFile = { text: string } | { from: string };

export interface Template {
  id: string;
  title: string;
  description: string;
  language: TemplateLanguage;
  /** Offered by Create app, GET /templates and `wasmcompute new`: a folder that can be published at once. */
  listed: boolean;
  /** The files of a new app folder (listed templates). */
  files: Record<string, TemplateFile>;
  /** The source tree the IDE opens, when it can compile this template in the browser. */
  editorFiles?: Record<string, string>;
}

const folderManifest = (module: string) =>
  ["# wasmcompute.yaml: see docs/manifest.md", `module: ${module}`, "routes:", "  - path: /...", "    entrypoint: _start", ""].join("\n");

const prebuilt = (source: string, from: string, wasm: string): Record<string, TemplateFile> => ({
  "wasmcompute.yaml": { text: folderManifest("app.wasm") },
  [source]: { from },
  "app.wasm": { from: wasm },
});

const textFiles = (files: Record<string, string>): Record<string, TemplateFile> =>
  Object.fromEntries(Object.entries(files).map(([file, text]) => [file, { text }]));

/** A template that lives in the editor only: its folder is its source tree. */
const editorOnly = (id: keyof typeof EDITOR_SOURCES, language: "assemblyscript" | "wat", title: string, description: string): Template => ({
  id,
  title,
  description,
  language,
  listed: false,
  files: textFiles(EDITOR_SOURCES[id]),
  editorFiles: EDITOR_SOURCES[id],
});

const STATIC_SITE_DESCRIPTION = "static/ served at /assets/ by the gateway without running wasm, and a JSON API at /api/hello. Built in the editor.";

export const TEMPLATES: Template[] = [
  {
    id: "empty",
    title: "Empty",
    description: "Just a manifest: bring a WASI module built with any toolchain.",
    language: "none",
    listed: true,
    files: { "wasmcompute.yaml": { text: folderManifest("app.wasm") } },
  },
  {
    id: "hello-wat",
    title: "Hello world (WebAssembly text)",
    description: "The smallest WAGI function: headers and a body written to stdout.",
    language: "wat",
    listed: true,
    files: prebuilt("hello.wat", "fixtures/wat/hello.wat", "fixtures/wasm/hello-wat.wasm"),
    editorFiles: EDITOR_SOURCES["hello-wat"],
  },
  {
    id: "hello-c",
    title: "Hello world (C)",
    description: "printf to stdout; build with clang --target=wasm32-wasi and wasi-libc.",
    language: "c",
    listed: true,
    files: prebuilt("hello.c", "fixtures/c/hello.c", "fixtures/wasm/hello-c.wasm"),
  },
  {
    id: "hello-rust",
    title: "Hello world (Rust)",
    description: "println! to stdout; build with rustc --target wasm32-wasi.",
    language: "rust",
    listed: true,
    files: prebuilt("hello.rs", "fixtures/rust/hello.rs", "fixtures/wasm/hello-rust.wasm"),
  },
  {
    id: "hello-as",
    title: "Hello world (AssemblyScript)",
    description: "TypeScript-like source compiled with asc and the WASI shim.",
    language: "assemblyscript",
    listed: true,
    files: prebuilt("hello.ts", "fixtures/as/hello.ts", "fixtures/wasm/hello-as.wasm"),
    editorFiles: EDITOR_SOURCES["hello-as"],
  },
  {
    id: "static-site-as",
    title: "Static site + API (AssemblyScript)",
    description: STATIC_SITE_DESCRIPTION,
    language: "assemblyscript",
    listed: true,
    files: textFiles(EDITOR_SOURCES["static-site-as"]),
    editorFiles: EDITOR_SOURCES["static-site-as"],
  },
  {
    id: "static-site-wat",
    title: "Static site + API (WebAssembly text)",
    description: STATIC_SITE_DESCRIPTION,
    language: "wat",
    listed: true,
    files: textFiles(EDITOR_SOURCES["static-site-wat"]),
    editorFiles: EDITOR_SOURCES["static-site-wat"],
  },
  {
    id: "hello-ts",
    title: "Hello world (TypeScript)",
    description: "A Workers-style fetch handler run by the QuickJS engine; src/index.ts is bundled into _worker.js by esbuild (the IDE as you type, the CLI's publish).",
    language: "typescript",
    listed: true,
    files: { "wasmcompute.yaml": { text: JS_MANIFEST }, "src/index.ts": { text: HELLO_TS_SOURCE }, [JS_WORKER_FILE]: { text: HELLO_TS_WORKER }, "app.wasm": { from: JS_ENGINE_PATH }, "README.md": { text: jsReadme("src/index.ts") } },
    // The IDE builds _worker.js and supplies the engine: the draft holds the source only.
    editorFiles: { "wasmcompute.yaml": JS_MANIFEST, "src/index.ts": HELLO_TS_SOURCE },
  },
  {
    id: "json-api-js",
    title: "JSON API with KV (JavaScript)",
    description: "GET/POST /items kept in the app's key-value store, JSON errors; run by the QuickJS engine.",
    language: "javascript",
    listed: true,
    files: { "wasmcompute.yaml": { text: JS_API_MANIFEST }, [JS_WORKER_FILE]: { text: JSON_API_JS }, "app.wasm": { from: JS_ENGINE_PATH }, "README.md": { text: jsReadme(JS_WORKER_FILE) } },
    editorFiles: { "wasmcompute.yaml": JS_API_MANIFEST, [JS_WORKER_FILE]: JSON_API_JS },
  },
  editorOnly("json-api-as", "assemblyscript", "JSON API with routing", "GET /items, /items/{index}, POST /echo; JSON 404s."),
  editorOnly("kv-counter-as", "assemblyscript", "Key-value counter", "Counts requests in the app's datastore."),
  editorOnly("form-as", "assemblyscript", "Form handler", "An HTML form and its url-encoded POST."),
  editorOnly("loop-as", "assemblyscript", "Runaway loop", "Never returns: shows the deadline stopping it."),
  editorOnly("fetch-json-as", "assemblyscript", "Fetch JSON from an API", "Outbound HTTP: GETs API_URL (env) from a host in allowed_hosts and answers what it said."),
  editorOnly("json-api-wat", "wat", "JSON API with routing", "Routes on PATH_INFO: /, /health, /method."),
  editorOnly("kv-counter-wat", "wat", "Key-value counter", "kv_get/kv_set host imports."),
  editorOnly("form-wat", "wat", "Form handler", "Reads a url-encoded POST body; echoes every field, escaped."),
  editorOnly("loop-wat", "wat", "Runaway loop", "Never returns: shows the deadline stopping it."),
];

/** Create app, GET /templates and `wasmcompute new` offer these. */
export const LISTED_TEMPLATES = TEMPLATES.filter((t) => t.listed);

/** A template the IDE can open: its source tree is `editorFiles`. */
export type EditorTemplate = Template & { editorFiles: Record<string, string> };

/** The IDE's menu: every template it can compile in the browser. */
export const EDITOR_TEMPLATES = TEMPLATES.filter((t): t is EditorTemplate => t.editorFiles !== undefined);

export function findEditorTemplate(id: string): EditorTemplate | undefined {
  return EDITOR_TEMPLATES.find((t) => t.id === id);
}

/** What the IDE opens for an app created from `appTemplate`: that template, else the AssemblyScript hello. */
export function editorTemplateForApp(appTemplate: string | null | undefined): EditorTemplate {
  return findEditorTemplate(appTemplate ?? "") ?? findEditorTemplate("hello-as")!;
}

/** A template's source tree for the app `appName` (the manifest names the app). */
export function templateFilesFor(template: EditorTemplate, appName: string): Record<string, string> {
  return { ...template.editorFiles, "wasmcompute.yaml": withAppName(template.editorFiles["wasmcompute.yaml"] ?? manifestText(null), appName) };
}

/** The manifest with `name:` set, below its leading comment line. */
export function withAppName(manifest: string, appName: string): string {
  return manifest.replace(/^name: .*\n/m, "").replace(/^(# .*\n)?/, (comment) => `${comment}name: ${appName}\n`);
}
