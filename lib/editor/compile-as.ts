// AssemblyScript → a WAGI module, entirely in memory: the user's files, the WASI shim and our SDK
// are served to asc through its readFile/listFiles hooks. Pure: the caller passes asc in, so the
// same code runs in the compile worker and in Node tests.
import { AS_CONSOLE_SOURCE } from "./as-console";
import { AS_SDK_SOURCE } from "./as-sdk";
import { positionAt, type Diagnostic, type Severity } from "./diagnostics";
import { WASI_SHIM_EXPORT_START, WASI_SHIM_FILES, WASI_SHIM_USE } from "./wasi-shim-sources";

/** What we use of `assemblyscript/asc` (its types pull in the whole compiler's declarations). */
export interface AscLike {
  main(
    argv: string[],
    options: {
      readFile(name: string, baseDir: string): string | null;
      writeFile(name: string, contents: Uint8Array | string, baseDir: string): void;
      listFiles(dir: string, baseDir: string): string[] | null;
      reportDiagnostic(d: AscDiagnostic): void;
      stdout: { write(chunk: Uint8Array | string): void };
      stderr: { write(chunk: Uint8Array | string): void };
    },
  ): Promise<{ error: Error | null }>;
}

interface AscRange {
  start: number;
  end: number;
  source: { normalizedPath: string } | null;
}
export interface AscDiagnostic {
  code: number;
  category: number;
  message: string;
  range: AscRange | null;
}

export interface CompileResult {
  wasm: Uint8Array | null;
  diagnostics: Diagnostic[];
  ms: number;
}

const SHIM_LIB = "~wasi-shim";
const SDK_PATH = "node_modules/wasmcompute/index.ts";
export const SDK_LABEL = "wasmcompute (SDK)";
const OUT = "out.wasm";
// asc categories: 0 pedantic, 1 info, 2 warning, 3 error.
const SEVERITY: Record<number, Severity> = { 0: "info", 1: "info", 2: "warning", 3: "error" };

/** Normalizes "./a/../b.ts" style paths the way asc asks for them. */
function normalize(p: string): string {
  const out: string[] = [];
  for (const part of p.replace(/\\/g, "/").split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return out.join("/");
}

export async function compileAssemblyScript(asc: AscLike, files: Record<string, string>, entry: string, options: { optimizeLevel?: number; extraArgs?: string[] } = {}): Promise<CompileResult> {
  const started = performance.now();
  const diagnostics: Diagnostic[] = [];
  let wasm: Uint8Array | null = null;
  const shimTopLevel = Object.keys(WASI_SHIM_FILES).filter((f) => !f.includes("/"));
  // console.* goes to the logs, not into the CGI response on stdout (as-console.ts).
  const shimFile = (p: string): string | null => (p === "wasi_console.ts" ? AS_CONSOLE_SOURCE : (WASI_SHIM_FILES[p] ?? null));

  const sourceOf = (normalizedPath: string): { file: string; text: string } | null => {
    const p = normalize(normalizedPath);
    if (files[p] !== undefined) return { file: p, text: files[p] };
    if (p === SDK_PATH || p.endsWith("wasmcompute/index.ts")) return { file: SDK_LABEL, text: AS_SDK_SOURCE };
    return null;
  };

  const stderr: string[] = [];
  const decoder = new TextDecoder();
  const result = await asc.main(
    [entry, "--outFile", OUT, "--lib", SHIM_LIB, ...WASI_SHIM_USE.flatMap((u) => ["--use", u]), "--exportStart", WASI_SHIM_EXPORT_START, "--optimizeLevel", String(options.optimizeLevel ?? 0), "--shrinkLevel", "0", "--noAssert", "--noColors", ...(options.extraArgs ?? [])],
    {
      readFile(name, baseDir) {
        if (baseDir === SHIM_LIB || normalize(baseDir).endsWith(SHIM_LIB)) return shimFile(normalize(name));
        const p = normalize(baseDir && baseDir !== "." ? `${baseDir}/${name}` : name);
        if (p.startsWith(`${SHIM_LIB}/`)) return shimFile(p.slice(SHIM_LIB.length + 1));
        // The shim's own imports ("./bindings/…") arrive as paths relative to the lib folder.
        if (WASI_SHIM_FILES[p] !== undefined && p.startsWith("bindings/")) return WASI_SHIM_FILES[p];
        if (p === SDK_PATH) return AS_SDK_SOURCE;
        if (p === "asconfig.json") return null;
        return files[p] ?? null;
      },
      writeFile(name, contents) {
        if (normalize(name) === OUT && typeof contents !== "string") wasm = new Uint8Array(contents);
      },
      listFiles(dir) {
        return normalize(dir) === SHIM_LIB ? shimTopLevel : null;
      },
      reportDiagnostic(d) {
        const severity = SEVERITY[d.category] ?? "error";
        const src = d.range?.source ? sourceOf(d.range.source.normalizedPath) : null;
        if (d.range && src) {
          const start = positionAt(src.text, d.range.start);
          const end = positionAt(src.text, Math.max(d.range.end, d.range.start + 1));
          diagnostics.push({ file: src.file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, message: d.message, severity, code: `AS${d.code}` });
        } else {
          const where = d.range?.source?.normalizedPath;
          diagnostics.push({ file: where ?? entry, line: 1, column: 1, endLine: 1, endColumn: 1, message: where ? `${where}: ${d.message}` : d.message, severity, code: `AS${d.code}` });
        }
      },
      stdout: { write() {} },
      stderr: { write: (chunk) => void stderr.push(typeof chunk === "string" ? chunk : decoder.decode(chunk)) },
    },
  );
  if (result.error && !diagnostics.some((d) => d.severity === "error")) {
    const text = stderr.join("").trim() || result.error.message;
    diagnostics.push({ file: entry, line: 1, column: 1, endLine: 1, endColumn: 1, message: text, severity: "error" });
  }
  return { wasm: result.error ? null : wasm, diagnostics, ms: performance.now() - started };
}
