// Types of binaryen-glue.generated.js (written by generate-binaryen-glue.ts).
export const BINARYEN_VERSION: string;
/** Served by the console at /compiler/<this> (app/compiler/[file]/route.ts). */
export const BINARYEN_WASM_FILE: string;
/** Emscripten's module factory: resolves to the same object `import binaryen from "binaryen"` gives. */
export default function createBinaryen(options: {
  instantiateWasm(imports: WebAssembly.Imports, receiveInstance: (instance: WebAssembly.Instance, module?: WebAssembly.Module) => void): object;
}): Promise<unknown>;
