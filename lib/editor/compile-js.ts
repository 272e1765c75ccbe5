// JavaScript/TypeScript → the `_worker.js` a JavaScript app publishes (docs/javascript.md): the
// draft's files bundled by esbuild from memory, with the CLI's options (lib/javascript/js-bundle.ts),
// so the IDE and `wasmcompute publish` produce the same bytes. Pure: the caller passes esbuild in
// (esbuild-wasm in the compile worker, either build in Node tests).
import type { Loader, Message, Plugin, PluginBuild } from "esbuild";
import { JS_BUNDLE_OPTIONS } from "@/lib/javascript/js-bundle";
import { JS_WORKER_FILE } from "@/lib/javascript/js-app";
import type { Diagnostic } from "./diagnostics";

/** What we use of esbuild's API (the Node package and esbuild-wasm both have it). */
export interface EsbuildLike {
  build(options: Parameters<PluginBuild["esbuild"]["build"]>[0]): Promise<{ outputFiles?: { path: string; contents: Uint8Array }[]; errors: Message[]; warnings: Message[] }>;
}

export interface CompileJsResult {
  /** The bundled script (null on errors). */
  script: Uint8Array | null;
  /** Its source map (JSON), for mapping stack traces in the preview's logs. */
  sourceMap: string | null;
  diagnostics: Diagnostic[];
  ms: number;
}

/** Where the console serves esbuild-wasm's wasm (app/compiler/[file]/route.ts), named by its version. */
export const esbuildWasmUrl = (version: string) => `/compiler/esbuild-${version}.wasm`;
/** Where the console serves the JavaScript engine (js-engine/dist/wasmcompute-js.wasm). */
export const JS_ENGINE_URL = "/compiler/wasmcompute-js.wasm";

const LOADERS: Record<string, Loader> = { ".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "tsx", ".js": "js", ".mjs": "js", ".cjs": "js", ".jsx": "jsx", ".json": "json", ".txt": "text", ".html": "text", ".css": "text" };
const RESOLVE_SUFFIXES = ["", ".ts", ".tsx", ".mts", ".js", ".mjs", ".json", "/index.ts", "/index.js"];
const ROOT = "/";

const extensionOf = (p: string) => /\.[^./]+$/.exec(p)?.[0] ?? "";

/** "/a/b/../c" → "a/c" (paths inside the draft, without the leading slash). */
function normalize(p: string): string {
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return out.join("/");
}

/** Serves the draft's files to esbuild as if they were on disk at "/" (so its output names them as the CLI's does). */
function draftFiles(files: Record<string, string>): Plugin {
  return {
    name: "wasmcompute-draft",
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        const relative = args.kind === "entry-point" || args.path.startsWith("./") || args.path.startsWith("../") || args.path.startsWith("/");
        if (!relative) {
          return { errors: [{ text: `Could not resolve "${args.path}": the editor bundles the app's own files only. Import a package by bundling with the CLI (wasmcompute publish).` }] };
        }
        const base = args.kind === "entry-point" ? "" : args.importer.slice(0, args.importer.lastIndexOf("/") + 1);
        const wanted = normalize(args.path.startsWith("/") ? args.path : base + args.path);
        const found = RESOLVE_SUFFIXES.map((s) => wanted + s).find((p) => files[p] !== undefined);
        if (found === undefined) return { errors: [{ text: `Could not resolve "${args.path}": there is no file ${wanted} in the app.` }] };
        return { path: ROOT + found, namespace: "file" };
      });
      build.onLoad({ filter: /.*/, namespace: "file" }, (args) => {
        const p = normalize(args.path);
        return { contents: files[p] ?? "", loader: LOADERS[extensionOf(p)] ?? "text", resolveDir: ROOT + p.slice(0, p.lastIndexOf("/") + 1) };
      });
    },
  };
}

function toDiagnostic(m: Message, severity: Diagnostic["severity"], entry: string): Diagnostic {
  const loc = m.location;
  const file = loc ? normalize(loc.file.replace(/^file:/, "")) : entry;
  const line = loc?.line ?? 1;
  const column = (loc?.column ?? 0) + 1;
  return { file, line, column, endLine: line, endColumn: column + Math.max(loc?.length ?? 0, 1), message: m.text, severity, code: "esbuild" };
}

export async function compileJs(esbuild: EsbuildLike, files: Record<string, string>, entry: string): Promise<CompileJsResult> {
  const started = performance.now();
  try {
    // An external map adds no comment to the script: its bytes stay the CLI's (compile-js.test.ts).
    const result = await esbuild.build({ ...JS_BUNDLE_OPTIONS, absWorkingDir: ROOT, entryPoints: [entry], outfile: ROOT + JS_WORKER_FILE, write: false, plugins: [draftFiles(files)] });
    const script = result.outputFiles?.find((f) => f.path.endsWith(`/${JS_WORKER_FILE}`))?.contents ?? null;
    const map = result.outputFiles?.find((f) => f.path.endsWith(`/${JS_WORKER_FILE}.map`))?.contents;
    return { script, sourceMap: map ? new TextDecoder().decode(map) : null, diagnostics: result.warnings.map((w) => toDiagnostic(w, "warning", entry)), ms: performance.now() - started };
  } catch (e) {
    const failure = e as { errors?: Message[]; warnings?: Message[] };
    if (!failure.errors?.length) throw e;
    return { script: null, sourceMap: null, diagnostics: [...failure.errors.map((m) => toDiagnostic(m, "error", entry)), ...(failure.warnings ?? []).map((w) => toDiagnostic(w, "warning", entry))], ms: performance.now() - started };
  }
}
