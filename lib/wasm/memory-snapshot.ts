// A snapshot's memory: what an initialised instance's memory holds beyond what instantiation writes,
// and how a new instance gets it (lib/wasm/snapshot.ts takes snapshots; run-wasi.ts restores them).
import { describeThrown } from "./guest-error";

/** Written per restore in pieces of this many bytes where the initialised memory differs. */
const RUN_GRANULE = 4096;

export interface MemorySnapshot {
  /** Memory size after initialisation, in 64 KiB pages: a restored instance's memory has at least this. */
  pages: number;
  /** Where the initialised memory differs from a just-instantiated one (which has the data segments written). */
  runs: { offset: number; bytes: Uint8Array }[];
  /** Bytes in `runs`: what one restore copies, and what the snapshot costs to keep. */
  bytes: number;
}

/** The granules of `after` that differ from `before` (zero beyond its end), merged into runs. */
export function diffMemory(before: Uint8Array, after: Uint8Array): MemorySnapshot {
  const runs: MemorySnapshot["runs"] = [];
  let bytes = 0;
  let runStart = -1;
  const close = (end: number) => {
    runs.push({ offset: runStart, bytes: after.slice(runStart, end) });
    bytes += end - runStart;
    runStart = -1;
  };
  for (let at = 0; at < after.length; at += RUN_GRANULE) {
    const end = Math.min(at + RUN_GRANULE, after.length);
    if (granuleDiffers(before, after, at, end)) {
      if (runStart < 0) runStart = at;
    } else if (runStart >= 0) close(at);
  }
  if (runStart >= 0) close(after.length);
  return { pages: after.length / 65536, runs, bytes };
}

function granuleDiffers(before: Uint8Array, after: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (after[i] !== (i < before.length ? before[i] : 0)) return true;
  return false;
}

/**
 * Writes a snapshot into the memory of an instance that was just made (its data segments written,
 * its entrypoint not yet called), growing the memory to the snapshot's size first.
 * Throws a RangeError when the memory cannot grow that far (its maximum is lower).
 */
export function restoreSnapshot(memory: WebAssembly.Memory, snapshot: MemorySnapshot): void {
  const pages = memory.buffer.byteLength / 65536;
  if (pages < snapshot.pages) {
    try {
      memory.grow(snapshot.pages - pages);
    } catch (e) {
      throw new RangeError(`the snapshot needs ${snapshot.pages} pages of memory: ${describeThrown(e)}`);
    }
  }
  const view = new Uint8Array(memory.buffer);
  for (const run of snapshot.runs) view.set(run.bytes, run.offset);
}
