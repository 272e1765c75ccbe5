// Starting points for a new app: a manifest, the source and, where one exists, a prebuilt module
// so that the app can be published at once. Sources come from fixtures/, built by
// scripts/build-fixtures.sh with each language's own toolchain.
import { readFileSync } from "node:fs";
import path from "node:path";
import { findEditorTemplate } from "@/lib/editor/templates";
import { AppError } from "@/lib/errors";

export interface Template {
  id: string;
  title: string;
  description: string;
  language: "wat" | "c" | "rust" | "assemblyscript" | "none";
  /** Relative path in the new app → where its bytes live in this repository (or literal text). */
  files: Record<string, { from: string } | { text: string }>;
}

// The console runs from the repository root (npm start's cwd); bundled code has no import.meta.dirname.
const ROOT = process.cwd();

const manifest = (name: string | null, module: string) =>
  [
    "# wasmcompute.yaml: see docs/manifest.md",
    ...(name ? [`name: ${name}`] : []),
    `module: ${module}`,
    "routes:",
    "  - path: /...",
    "    entrypoint: _start",
    "",
  ].join("\n");

export const TEMPLATES: Template[] = [
  {
    id: "empty",
    title: "Empty",
    description: "Just a manifest: bring a WASI module built with any toolchain.",
    language: "none",
    files: { "wasmcompute.yaml": { text: manifest(null, "app.wasm") } },
  },
  {
    id: "hello-wat",
    title: "Hello world (WebAssembly text)",
    description: "The smallest WAGI function: headers and a body written to stdout.",
    language: "wat",
    files: { "wasmcompute.yaml": { text: manifest(null, "app.wasm") }, "hello.wat": { from: "fixtures/wat/hello.wat" }, "app.wasm": { from: "fixtures/wasm/hello-wat.wasm" } },
  },
  {
    id: "hello-c",
    title: "Hello world (C)",
    description: "printf to stdout; build with clang --target=wasm32-wasi and wasi-libc.",
    language: "c",
    files: { "wasmcompute.yaml": { text: manifest(null, "app.wasm") }, "hello.c": { from: "fixtures/c/hello.c" }, "app.wasm": { from: "fixtures/wasm/hello-c.wasm" } },
  },
  {
    id: "hello-rust",
    title: "Hello world (Rust)",
    description: "println! to stdout; build with rustc --target wasm32-wasi.",
    language: "rust",
    files: { "wasmcompute.yaml": { text: manifest(null, "app.wasm") }, "hello.rs": { from: "fixtures/rust/hello.rs" }, "app.wasm": { from: "fixtures/wasm/hello-rust.wasm" } },
  },
  {
    id: "hello-as",
    title: "Hello world (AssemblyScript)",
    description: "TypeScript-like source compiled with asc and the WASI shim.",
    language: "assemblyscript",
    files: { "wasmcompute.yaml": { text: manifest(null, "app.wasm") }, "hello.ts": { from: "fixtures/as/hello.ts" }, "app.wasm": { from: "fixtures/wasm/hello-as.wasm" } },
  },
  ...(["assemblyscript", "wat"] as const).map((language): Template => {
    const short = language === "assemblyscript" ? "as" : "wat";
    const source = findEditorTemplate(`${short}-static-site`)!;
    return {
      id: `static-site-${short}`,
      title: `Static site + API (${language === "assemblyscript" ? "AssemblyScript" : "WebAssembly text"})`,
      description: "static/ served at /assets/ by the gateway without running wasm, and a JSON API at /api/hello. Built in the editor.",
      language,
      files: Object.fromEntries(Object.entries(source.files).map(([file, text]) => [file, { text }])),
    };
  }),
];

export function findTemplate(id: string): Template {
  const template = TEMPLATES.find((t) => t.id === id);
  if (!template) throw new AppError("NOT_FOUND", `Template "${id}" not found. Choose one of: ${TEMPLATES.map((t) => t.id).join(", ")}.`, { field: "template" });
  return template;
}

/** The template's files for a new app named `appName`, with the manifest naming the app. */
export function templateFiles(id: string, appName: string): { path: string; data: Uint8Array }[] {
  return Object.entries(findTemplate(id).files).map(([file, source]) => {
    if ("text" in source) {
      const text = file === "wasmcompute.yaml" ? source.text.replace(/^(# .*\n)/, `$1name: ${appName}\n`) : source.text;
      return { path: file, data: new TextEncoder().encode(text) };
    }
    return { path: file, data: new Uint8Array(readFileSync(path.join(ROOT, source.from))) };
  });
}
