import { checkImports } from "./check-imports";
import { readMemories } from "./memory-cap";
import { ModuleBinaryError } from "./wasm-binary";
import { checkModuleLimits } from "./module-limits";

export interface ModuleDescription {
  imports: WebAssembly.ModuleImportDescriptor[];
  exports: WebAssembly.ModuleExportDescriptor[];
}

export interface ValidateModuleOptions {
  bytes: Uint8Array;
  /** Functions the deployment's routes will call (default: `_start`). */
  entrypoints?: string[];
  /**
   * Compiles the module (throwing on an invalid one) and lists its imports and exports; default:
   * WebAssembly.compile in this thread. Publish passes describeInWorker (lib/compile-workers).
   */
  describe?: (bytes: Uint8Array) => Promise<ModuleDescription>;
}

async function describeHere(bytes: Uint8Array): Promise<ModuleDescription> {
  const module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  return { imports: WebAssembly.Module.imports(module), exports: WebAssembly.Module.exports(module) };
}

/**
 * Everything we can tell a developer about a module before it ever runs, as sentences they
 * can act on. An empty list means the module can be published. The compile happens
 * in `describe`: in a worker thread for the console, so a big upload never stalls its other requests.
 */
export async function validateModule({ bytes, entrypoints = ["_start"], describe = describeHere }: ValidateModuleOptions): Promise<string[]> {
  // Counted before anything compiles: a module past these would cost the compile they guard against.
  const problems = checkModuleLimits(bytes);
  if (problems.length > 0) return problems;
  let module: ModuleDescription;
  try {
    module = await describe(bytes);
  } catch (error) {
    if (!(error instanceof WebAssembly.CompileError)) throw error;
    const text = new TextDecoder().decode(bytes.slice(0, 64)).trimStart();
    if (text.startsWith("(module")) {
      return ["This is WebAssembly text (WAT), not a binary module: compile it first (e.g. wat2wasm)."];
    }
    if (bytes[0] === 0x00 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d && bytes[4] !== 0x01) {
      return ["This looks like a WebAssembly component or a future binary version; only core modules (version 1) run here."];
    }
    const detail = error instanceof Error ? `: ${error.message.replace(/^WebAssembly\.(Module|compile)\(\): /, "")}` : "";
    return [`This is not a valid WebAssembly module${detail}.`];
  }

  // One sentence for all of them: the explanation once, then the list.
  const unsupported = checkImports(module.imports).unsupported;
  if (unsupported.length > 0) problems.push(unsupportedImportsProblem(unsupported));

  const exports = module.exports;
  const functions = new Set(exports.filter((e) => e.kind === "function").map((e) => e.name));
  for (const entrypoint of new Set(entrypoints)) {
    if (!functions.has(entrypoint)) {
      const available = [...functions].filter((n) => !n.startsWith("__")).slice(0, 10);
      problems.push(
        `The module exports no function named "${entrypoint}"` +
          (available.length ? ` (it exports: ${available.join(", ")}).` : " (it exports no functions).") +
          (entrypoint === "_start" ? " Build it as a WASI command (a program with main), or name its entrypoint in the route." : ""),
      );
    }
  }

  if (!exports.some((e) => e.kind === "memory" && e.name === "memory")) {
    problems.push('The module exports no memory named "memory": WASI needs it to pass the request and response.');
  }

  try {
    readMemories(bytes);
  } catch (error) {
    if (error instanceof ModuleBinaryError) problems.push(error.message);
    else throw error;
  }
  return problems;
}

/** The one problem for every import the platform does not offer, e.g. "env.open_socket". */
export function unsupportedImportsProblem(names: readonly string[]): string {
  const listed = names.map((n) => `"${n}"`).join(", ");
  return (
    `The module imports ${names.length === 1 ? "something" : `${names.length} things`} this platform does not provide: ${listed}. ` +
    "Only WASI preview1 (wasi_snapshot_preview1) and the wasmcompute host functions (docs/abi.md) are available: " +
    "build for wasm32-wasi (wasm32-wasip1) and leave out what needs these imports."
  );
}
