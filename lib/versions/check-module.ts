// The checks every module passes before it is served, wherever it is published: the console's
// publish (publish-version.ts) and the gateway's folder of deployments (lib/runtime/folder-registry.ts).
// The module must compile, import only what the host provides and export its entrypoints; then its
// memory is capped (a maximum written into the module, so `memory.grow` fails inside the guest).
import { bytesToPages, capMemoryPieces } from "@/lib/wasm/memory-cap";
import { ModuleBinaryError } from "@/lib/wasm/wasm-binary";
import { validateModule, type ModuleDescription } from "@/lib/wasm/validate-module";

export interface CheckModuleOptions {
  bytes: Uint8Array;
  /** Exports the routes call (checked later by a caller that learns its routes from the module). */
  entrypoints: string[];
  /** The memory cap written into the module. */
  memoryMb: number;
  /** Compiles the module and answers its imports and exports (off the main thread: callers pass a worker). */
  describe: (bytes: Uint8Array) => Promise<ModuleDescription>;
}

/** The capped module as pieces (join them to store or run it), or every problem, each a sentence. */
export type CheckedModule = { ok: true; pieces: Uint8Array[] } | { ok: false; problems: string[] };

export async function checkModule({ bytes, entrypoints, memoryMb, describe }: CheckModuleOptions): Promise<CheckedModule> {
  const problems = await validateModule({ bytes, entrypoints, describe });
  if (problems.length > 0) return { ok: false, problems };
  try {
    return { ok: true, pieces: capMemoryPieces(bytes, bytesToPages(memoryMb * 1024 * 1024)) };
  } catch (e) {
    if (e instanceof ModuleBinaryError) return { ok: false, problems: [e.message] };
    throw e;
  }
}
