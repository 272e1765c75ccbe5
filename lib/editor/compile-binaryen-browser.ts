// What `import binaryen from "binaryen"` gives the browser build (next.config.mjs aliases it here):
// Binaryen's glue without its inline wasm (binaryen-glue.generated.js, ~180 KB instead of 13 MB),
// with the wasm fetched from the console (app/compiler/[file]/route.ts, content-addressed and
// cached) and compiled while it downloads (binaryen-wasm-browser.ts, which the compile worker starts
// before it imports asc). asc imports this.
import createBinaryen from "./binaryen-glue.generated.js";
import { compileBinaryenWasm } from "./binaryen-wasm-browser";

async function instantiate(imports: WebAssembly.Imports): Promise<WebAssembly.Instance> {
  return WebAssembly.instantiate(await compileBinaryenWasm(), imports);
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
