// Binaryen's wasm (~9 MB, served by the console as an immutable, content-addressed file) compiled
// once per compile worker. The worker starts this as soon as it is asked to warm up, so the
// download and compile run while asc's JS chunk loads, instead of after it
// (compile-binaryen-browser.ts takes the module from here). Streaming from a cacheable response
// also lets V8 keep the compiled code in its cache: a later visit skips most of the compile.
import { BINARYEN_WASM_FILE } from "./binaryen-glue.generated.js";

export const BINARYEN_WASM_URL = `/compiler/${BINARYEN_WASM_FILE}`;

let compiled: Promise<WebAssembly.Module> | null = null;

async function fetchAndCompile(): Promise<WebAssembly.Module> {
  const response = await fetch(BINARYEN_WASM_URL, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`could not load Binaryen's wasm from ${BINARYEN_WASM_URL}: HTTP ${response.status}`);
  if (typeof WebAssembly.compileStreaming === "function" && response.headers.get("content-type")?.startsWith("application/wasm")) return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}

/** The compiled module, fetched on first call; a failed load is retried by the next call. */
export function compileBinaryenWasm(): Promise<WebAssembly.Module> {
  return (compiled ??= fetchAndCompile().catch((e: unknown) => {
    compiled = null;
    throw e;
  }));
}
