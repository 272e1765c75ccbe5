// Pre-initialised instances: Wizer's idea, done by the host when it first loads a module instead of
// by a build tool. A module that exports `wizer.initialize` has it called once, on a fresh instance
// with the app's files; the memory it leaves is kept as a snapshot, and every request's fresh
// instance starts from that memory instead of redoing the same work. The JavaScript engine loads
// its web API layer and the app's script this way once per version (js-engine/engine.c).
// Isolation is unchanged: each request still gets a new instance and a memory of its own, written
// from the snapshot; nothing a request does reaches the snapshot or another request.
import type { MemFs } from "./mem-fs";
import { countImportedGlobals } from "./memory-cap";
import { diffMemory, type MemorySnapshot } from "./memory-snapshot";
import { exportedFunctionNames } from "./module-limits";
import { WASI_HTTP_MODULE } from "./outbound-http-imports";
import { runWasiWith } from "./run-wasi";
import { WasmcomputeTable } from "./wasmcompute-imports";
import { encodeU32, joinPieces, readSections, sectionReader, spliceSection, type Reader } from "./wasm-binary";

/** The export a module offers to be pre-initialised by (Wizer's name for it). */
export const SNAPSHOT_INIT_EXPORT = "wizer.initialize";

/** Exports the snapshot rewrite adds, one per mutable global (see snapshotReady). */
const GLOBAL_EXPORT_PREFIX = "wasmcompute:snapshot-global:";

export type SnapshotResult = { snapshot: MemorySnapshot } | { declined: string };

const SECTION_GLOBAL = 6;
const SECTION_EXPORT = 7;
const NUMBER_TYPES = new Set([0x7f, 0x7e, 0x7d, 0x7c]); // i32 i64 f32 f64

/**
 * The module rewritten to be snapshotted, or null when it does not ask for it (no `wizer.initialize`
 * export) or cannot be checked (a mutable global of a type JavaScript cannot read). The rewrite
 * exports every mutable global, so the host can see that initialisation left them as a fresh
 * instance has them: a snapshot keeps memory only. Run requests on these same bytes.
 */
export function snapshotReady(bytes: Uint8Array): Uint8Array<ArrayBuffer> | null {
  try {
    return exportedFunctionNames(bytes).has(SNAPSHOT_INIT_EXPORT) ? exportMutableGlobals(bytes) : null;
  } catch {
    return null; // a module this reader does not understand (e.g. GC types) runs as it is, without snapshots
  }
}

function exportMutableGlobals(bytes: Uint8Array): Uint8Array<ArrayBuffer> | null {
  const sections = readSections(bytes);
  const exportSection = sections.find((s) => s.id === SECTION_EXPORT)!;
  const globalSection = sections.find((s) => s.id === SECTION_GLOBAL);
  const mutable: number[] = [];
  if (globalSection) {
    const r = sectionReader(bytes, globalSection);
    const count = r.u32();
    const first = countImportedGlobals(bytes);
    for (let i = 0; i < count; i++) {
      const type = r.byte();
      const isMutable = r.byte() === 1;
      if (!skipConstantExpression(r)) return null;
      if (!isMutable) continue;
      if (!NUMBER_TYPES.has(type)) return null;
      mutable.push(first + i);
    }
  }
  if (mutable.length === 0) return new Uint8Array(bytes);
  const r = sectionReader(bytes, exportSection);
  const countStart = r.offset;
  const count = r.u32();
  const added = mutable.flatMap((index) => {
    const name = new TextEncoder().encode(GLOBAL_EXPORT_PREFIX + index);
    return [...encodeU32(name.length), ...name, 0x03, ...encodeU32(index)];
  });
  const replacements = [
    { start: countStart, end: r.offset, bytes: encodeU32(count + mutable.length) },
    { start: exportSection.end, end: exportSection.end, bytes: added },
  ];
  return joinPieces([bytes.subarray(0, exportSection.start), ...spliceSection(bytes, exportSection, replacements), bytes.subarray(exportSection.end)]);
}

/** Skips a global's initialiser; false for an instruction this reader does not know. */
function skipConstantExpression(r: Reader): boolean {
  for (;;) {
    const op = r.byte();
    if (op === 0x0b) return true; // end
    if (op === 0x41 || op === 0x42 || op === 0x23 || op === 0xd2 || op === 0xd0) r.skipLeb(); // *.const, global.get, ref.func, ref.null
    else if (op === 0x43) r.skip(4);
    else if (op === 0x44) r.skip(8);
    else if (![0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e].includes(op)) return false; // extended-const arithmetic has no immediates
  }
}

function mutableGlobals(instance: WebAssembly.Instance): [string, unknown][] {
  return Object.entries(instance.exports)
    .filter(([name]) => name.startsWith(GLOBAL_EXPORT_PREFIX))
    .map(([name, g]) => [name, (g as WebAssembly.Global).value]);
}

export interface TakeSnapshotOptions {
  /** Compiled from snapshotReady's bytes. */
  module: WebAssembly.Module;
  /** The app's files, at the same path requests see them. */
  preopens?: Record<string, MemFs>;
  /** Import modules besides WASI and the platform's (the memory, when it is imported). */
  extraImports?: WebAssembly.Imports;
}

/**
 * Calls the module's `wizer.initialize` on a fresh instance and keeps the memory it leaves. Declined
 * (the module then runs without a snapshot, as any other) when initialisation fails, exits, writes
 * output or logs, or changes a global: whatever it did must be in memory and belong to no request.
 * The guest sees no environment, no stdin and no arguments but its own name; the platform's
 * imports answer as they do without a binding (KV and outbound HTTP unavailable).
 */
export function takeSnapshot(opts: TakeSnapshotOptions): SnapshotResult {
  let instance: WebAssembly.Instance | undefined;
  let before: string | undefined;
  let fresh: Uint8Array | undefined;
  let logged = false;
  return runWasiWith(
    {
      module: opts.module,
      args: [SNAPSHOT_INIT_EXPORT],
      entrypoint: SNAPSHOT_INIT_EXPORT,
      preopens: opts.preopens ?? {},
      // Output declines the snapshot: none of it is kept, so a runaway writer costs nothing.
      maxStdoutBytes: 0,
      maxStderrBytes: 0,
      extraImports: (memory) => {
        const platform = new WasmcomputeTable(memory);
        platform.use({ log: () => void (logged = true) });
        return { ...opts.extraImports, wasmcompute: platform.imports, [WASI_HTTP_MODULE]: platform.wasiHttpImports };
      },
      afterInstantiate: (i, memory) => {
        instance = i;
        before = JSON.stringify(mutableGlobals(i), bigints);
        fresh = memory ? new Uint8Array(memory.buffer).slice() : undefined;
      },
    },
    (run): SnapshotResult => {
      if (run.error?.kind === "output-too-large") return { declined: `${SNAPSHOT_INIT_EXPORT} wrote output or logs` };
      if (run.error) return { declined: `${SNAPSHOT_INIT_EXPORT} failed: ${run.error.message}` };
      if (run.exitCode !== 0) return { declined: `${SNAPSHOT_INIT_EXPORT} exited with code ${run.exitCode}` };
      if (run.stdout.length > 0 || run.stderr.size > 0 || logged) return { declined: `${SNAPSHOT_INIT_EXPORT} wrote output or logs` };
      const memory = instance!.exports.memory;
      if (!(memory instanceof WebAssembly.Memory) || !fresh) return { declined: "the module exports no memory" };
      if (JSON.stringify(mutableGlobals(instance!), bigints) !== before) return { declined: `${SNAPSHOT_INIT_EXPORT} changed a global` };
      return { snapshot: diffMemory(fresh, new Uint8Array(memory.buffer)) };
    },
  );
}

function bigints(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
