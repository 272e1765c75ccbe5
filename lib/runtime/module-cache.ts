import { createHash } from "node:crypto";
import { Lru } from "./lru";
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
}

/** A compiled module ready to run: `memory` is set when its memory is imported (recycled). */
export interface PreparedModule {
  module: WebAssembly.Module;
  memory: MemoryShape | null;
}

/** Applies the run-time rewrite (memory as an import, see recycled-memory.ts) and compiles. */
export async function prepareModule(bytes: Uint8Array): Promise<PreparedModule> {
  const rewritten = importDefinedMemory(bytes);
  const module = await WebAssembly.compile((rewritten?.bytes ?? bytes) as Uint8Array<ArrayBuffer>);
  return { module, memory: rewritten?.shape ?? null };
}

/**
 * Compiled WebAssembly.Module by content hash: compile once per version, never per request.
 * Concurrent misses for the same hash share one compilation.
 */
export class ModuleCache {
  private readonly compiled: Lru<string, PreparedModule>;
  private readonly inFlight = new Map<string, Promise<PreparedModule>>();
  compilations = 0;

  constructor(options: ModuleCacheOptions = {}) {
    this.compiled = new Lru(options.maxEntries ?? 256, options.maxBytes ?? 256 * 1024 * 1024);
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
      const prepared = await prepareModule(bytes);
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
