import { createHash } from "node:crypto";
import { compileInWorker } from "../compile-workers/compile-in-worker";
import { Lru } from "./lru";
import { capTables } from "../wasm/module-limits";
import { snapshotReady } from "../wasm/snapshot";
import { isComponentArtifact, unpackComponentArtifact } from "../wasm/component/artifact";
import { compileComponent, type CompiledComponent } from "../wasm/component/run-component";
import { importDefinedMemory, type MemoryShape } from "./recycled-memory";

/** Content hash that names a module version everywhere (registry, cache, workers). */
export function hashModule(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export interface ModuleCacheOptions {
  /** Most compiled modules kept. */
  maxEntries?: number;
  /** Most summed wasm source bytes kept (compiled code is a small multiple of this). */
  maxBytes?: number;
  /** How a module compiles (default: compileInWorker, off the main thread with a deadline). */
  compile?: (bytes: Uint8Array) => Promise<WebAssembly.Module>;
}

/**
 * A compiled module ready to run: `memory` is set when its memory is imported (recycled);
 * `snapshots` when it asks to be pre-initialised (lib/wasm/snapshot.ts: the JavaScript engine does).
 */
export interface PreparedModule {
  module: WebAssembly.Module;
  memory: MemoryShape | null;
  snapshots?: boolean;
  /** A WASI 0.2 component (its publish-time artifact): `module` is then its first core module. */
  component?: CompiledComponent;
}

/**
 * Applies the run-time rewrites (mutable globals exported for a module that asks for snapshots, see
 * lib/wasm/snapshot.ts; memory as an import, see recycled-memory.ts; every table's maximum capped,
 * see module-limits.ts) and compiles, by default in this thread: the guest
 * workers call it; the gateway's main thread passes compileInWorker.
 */
export async function prepareModule(
  bytes: Uint8Array,
  compile: (bytes: Uint8Array) => Promise<WebAssembly.Module> = (b) => WebAssembly.compile(b as Uint8Array<ArrayBuffer>),
): Promise<PreparedModule> {
  if (isComponentArtifact(bytes)) {
    // Its core modules carry the publish-time memory cap; jco's glue instantiates them itself.
    const component = await compileComponent(unpackComponentArtifact(bytes), compile);
    return { module: component.cores[0]!.module, memory: null, component };
  }
  const snapshotted = snapshotReady(bytes);
  const rewritten = importDefinedMemory(snapshotted ?? bytes);
  const source = rewritten?.bytes ?? snapshotted ?? bytes;
  const module = await compile(capTables(source) ?? source);
  return { module, memory: rewritten?.shape ?? null, ...(snapshotted ? { snapshots: true } : {}) };
}

/**
 * Compiled WebAssembly.Module by content hash: compile once per version, never per request.
 * Concurrent misses for the same hash share one compilation, which happens in a standing compile
 * worker under a deadline (lib/compile-workers/compile-in-worker.ts), never on the gateway's main thread.
 */
export class ModuleCache {
  private readonly compiled: Lru<string, PreparedModule>;
  private readonly inFlight = new Map<string, Promise<PreparedModule>>();
  private readonly compile: (bytes: Uint8Array) => Promise<WebAssembly.Module>;
  compilations = 0;

  constructor(options: ModuleCacheOptions = {}) {
    this.compiled = new Lru(options.maxEntries ?? 256, options.maxBytes ?? 256 * 1024 * 1024);
    this.compile = options.compile ?? ((bytes) => compileInWorker(bytes));
  }

  peek(hash: string): PreparedModule | undefined {
    return this.compiled.get(hash);
  }

  async get(hash: string, getBytes: () => Promise<Uint8Array> | Uint8Array): Promise<PreparedModule> {
    const hit = this.compiled.get(hash);
    if (hit) return hit;
    const pending = this.inFlight.get(hash);
    if (pending) return pending;
    const compile = (async () => {
      const bytes = await getBytes();
      const actual = hashModule(bytes);
      if (actual !== hash) {
        throw new Error(`module bytes do not match their hash (expected ${hash}, got ${actual})`);
      }
      this.compilations++;
      const prepared = await prepareModule(bytes, this.compile);
      this.compiled.set(hash, prepared, bytes.byteLength);
      return prepared;
    })();
    this.inFlight.set(hash, compile);
    try {
      return await compile;
    } finally {
      this.inFlight.delete(hash);
    }
  }

  get size(): number {
    return this.compiled.size;
  }
}
