// Which imports of a module this host cannot satisfy, so publishing can refuse
// it with a precise list instead of failing on the first request.
import { WasiHost } from "./wasi-host";
import { WASMCOMPUTE_FUNCTIONS } from "./wasmcompute-imports";
import { WASI_HTTP_FUNCTIONS, WASI_HTTP_MODULE } from "./outbound-http-imports";

const WASI_FUNCTIONS = new Set(Object.keys(new WasiHost().imports()));
const OUR_FUNCTIONS = new Set<string>(WASMCOMPUTE_FUNCTIONS);
const WASI_HTTP = new Set<string>(WASI_HTTP_FUNCTIONS);

/**
 * `unsupported` lists "module.name" (with the kind when it is not a function) for every
 * import we do not offer: unknown functions, other WASI versions such as "wasi_unstable",
 * and imported memories/tables/globals (the host provides none).
 */
export function checkImports(module: WebAssembly.Module | WebAssembly.ModuleImportDescriptor[]): { unsupported: string[] } {
  const unsupported: string[] = [];
  for (const imp of Array.isArray(module) ? module : WebAssembly.Module.imports(module)) {
    const known =
      imp.kind === "function" &&
      ((imp.module === "wasi_snapshot_preview1" && WASI_FUNCTIONS.has(imp.name)) ||
        (imp.module === "wasmcompute" && OUR_FUNCTIONS.has(imp.name)) ||
        (imp.module === WASI_HTTP_MODULE && WASI_HTTP.has(imp.name)));
    if (!known) unsupported.push(imp.kind === "function" ? `${imp.module}.${imp.name}` : `${imp.module}.${imp.name} (${imp.kind})`);
  }
  return { unsupported };
}
