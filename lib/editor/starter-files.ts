// What the editor opens on a new app's empty draft, and what it says about building it. Apps made
// from an in-browser template (AssemblyScript, WebAssembly text) open on that template; the others
// ("Hello world (C)", "Hello world (Rust)", "Empty") open on their real files from the console's
// template catalog (GET /api/v1/templates/:id): the C or Rust source, the prebuilt app.wasm the
// preview runs, and the manifest. Their source is built on your machine, never in the browser.
import { api } from "@/lib/client/api";
import { base64ToBytes } from "./base64";
import { isBinaryPath, projectKind } from "@/lib/sources/source-files";

/** Console templates whose module is built outside the browser ("empty" is also an app with no template). */
const BUILT_ELSEWHERE = new Set(["empty", "hello-c", "hello-rust"]);

/** The catalog template to open for an app created from `appTemplate`, or null for an in-browser one. */
export function catalogStarterFor(appTemplate: string | null | undefined): string | null {
  const id = appTemplate ?? "empty";
  return BUILT_ELSEWHERE.has(id) ? id : null;
}

/** The catalog template's files as the editor keeps them (text as text, .wasm as base64). */
export async function fetchStarterFiles(templateId: string, appName: string): Promise<Record<string, string>> {
  const { files } = await api<{ files: { path: string; contentBase64: string }[] }>(`/templates/${encodeURIComponent(templateId)}?app=${encodeURIComponent(appName)}`);
  const decoder = new TextDecoder();
  return Object.fromEntries(files.map((f) => [f.path, isBinaryPath(f.path) ? f.contentBase64 : decoder.decode(base64ToBytes(f.contentBase64))]));
}

export interface BuildGuide {
  /** "C", "Rust", or null when there is no source to build (bring a module). */
  language: "C" | "Rust" | null;
  source: string | null;
  /** Shell commands, run in a folder holding the source and wasmcompute.yaml (which names the app). */
  commands: string[];
}

/**
 * How the draft's module is built when the browser cannot build it: C or Rust source, or nothing
 * to build at all. Null when the editor builds it (AssemblyScript, WebAssembly text, JavaScript).
 */
export function buildGuideFor(files: Record<string, string>): BuildGuide | null {
  if (projectKind(files).language === "javascript") return null;
  const paths = Object.keys(files).filter((p) => !p.startsWith("static/"));
  if (paths.some((p) => p.endsWith(".ts") || p.endsWith(".wat"))) return null;
  const c = paths.find((p) => p.endsWith(".c"));
  const rust = paths.find((p) => p.endsWith(".rs"));
  const publish = ["wasmcompute publish 0.0.1", "wasmcompute deploy 0.0.1"];
  if (c) {
    return {
      language: "C",
      source: c,
      // wasi-libc's sysroot: /usr on Debian (apt install clang lld wasi-libc libclang-rt-14-dev-wasm32), the wasi-sdk folder elsewhere.
      commands: [`clang --target=wasm32-wasi --sysroot=/usr -O2 -s -o app.wasm ${c}`, ...publish],
    };
  }
  if (rust) {
    return {
      language: "Rust",
      source: rust,
      // rustup target add wasm32-wasip1 (called wasm32-wasi before Rust 1.78) gives the standard library for WASI.
      commands: [`rustc --target wasm32-wasi -O -C strip=symbols -o app.wasm ${rust}`, ...publish],
    };
  }
  if (!paths.some(isBinaryPath)) return { language: null, source: null, commands: ["wasmcompute publish 0.0.1", "wasmcompute deploy 0.0.1"] };
  return null;
}
