// What `import binaryen from "binaryen"` gives the browser build (next.config.mjs aliases it here):
// Binaryen's glue without its inline wasm (binaryen-glue.generated.js, ~180 KB instead of 13 MB),
// with the wasm fetched from the console (app/compiler/[file]/route.ts, content-addressed and
// cached) and compiled while it downloads. The compile worker imports asc, which imports this.
import createBinaryen, { BINARYEN_WASM_FILE } from "./binaryen-glue.generated.js";

export const BINARYEN_WASM_URL = `/compiler/${BINARYEN_WASM_FILE}`;

async function instantiate(imports: WebAssembly.Imports): Promise<WebAssembly.Instance> {
  const response = await fetch(BINARYEN_WASM_URL, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`could not load Binaryen's wasm from ${BINARYEN_WASM_URL}: HTTP ${response.status}`);
  if (typeof WebAssembly.instantiateStreaming === "function" && response.headers.get("content-type")?.startsWith("application/wasm")) {
    return (await WebAssembly.instantiateStreaming(response, imports)).instance;
  }
  return (await WebAssembly.instantiate(await response.arrayBuffer(), imports)).instance;
}

// Emscripten only hears back through the callback: a failed load rejects this import instead of
// leaving the compiler waiting forever.
let fail: (e: unknown) => void = () => undefined;
const failed = new Promise<never>((_, reject) => (fail = reject));
const binaryen = await Promise.race([
  createBinaryen({
    instantiateWasm(imports, receiveInstance) {
      instantiate(imports).then((instance) => receiveInstance(instance), fail);
      return {};
    },
  }),
  failed,
]);

export default binaryen;
