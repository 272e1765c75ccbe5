/**
 * Publish-time memory cap: rewrite a module's memory limits so that `memory.grow` fails inside
 * the guest at the cap. A module that declares no maximum can otherwise grow to 4 GiB, and
 * nothing at run time can stop it short of killing the worker.
 *
 * Only the import section (imported memories) and the memory section are rebuilt; every other
 * section is copied byte for byte.
 */

import { encodeU32, invalidModule, joinPieces, ModuleBinaryError, readSections, readVectorSection, spliceSection, type Reader, type Replacement, type Section } from "./wasm-binary";


export const WASM_PAGE_BYTES = 65536;

const SECTION_IMPORT = 2;
const SECTION_MEMORY = 5;

const LIMITS_HAS_MAX = 0x01;
const LIMITS_SHARED = 0x02;
const LIMITS_MEMORY64 = 0x04;
const LIMITS_KNOWN_FLAGS = LIMITS_HAS_MAX | LIMITS_SHARED | LIMITS_MEMORY64;

export interface MemoryLimits {
  /** Where the memory comes from: declared in the module or imported as "module.name". */
  source: "defined" | `import ${string}`;
  minPages: number;
  maxPages: number | null;
  shared: boolean;
}

function readMemoryLimits(r: Reader, source: MemoryLimits["source"]): MemoryLimits {
  const flags = r.byte();
  if (flags & LIMITS_MEMORY64) {
    throw new ModuleBinaryError(
      "memory64",
      "This module uses 64-bit memory (memory64), which the platform does not run. " +
        "Build for wasm32 (e.g. --target wasm32-wasi).",
    );
  }
  if (flags & ~LIMITS_KNOWN_FLAGS) throw invalidModule(`unknown memory limits flags 0x${flags.toString(16)}`);
  const minPages = r.u32();
  const maxPages = flags & LIMITS_HAS_MAX ? r.u32() : null;
  return { source, minPages, maxPages, shared: (flags & LIMITS_SHARED) !== 0 };
}

function encodeCappedLimits(limits: MemoryLimits, capPages: number): number[] {
  if (limits.minPages > capPages) {
    const where = limits.source === "defined" ? "Its memory" : `Its imported memory (${limits.source.slice(7)})`;
    throw new ModuleBinaryError(
      "initial-memory-too-large",
      `${where} starts at ${limits.minPages} pages (${formatMiB(limits.minPages)}) but this app may use ` +
        `at most ${capPages} pages (${formatMiB(capPages)}). Reduce the initial memory or raise the app's memory limit.`,
    );
  }
  const max = limits.maxPages === null ? capPages : Math.min(limits.maxPages, capPages);
  const flags = LIMITS_HAS_MAX | (limits.shared ? LIMITS_SHARED : 0);
  return [flags, ...encodeU32(limits.minPages), ...encodeU32(max)];
}

function formatMiB(pages: number): string {
  const mib = (pages * WASM_PAGE_BYTES) / (1024 * 1024);
  return `${Number.isInteger(mib) ? mib : mib.toFixed(2)} MiB`;
}

/** A memory's limits and the byte range they occupy in the module, to read or replace them. */
type OnMemory = (limits: MemoryLimits, limitsStart: number, limitsEnd: number) => void;

/** Reads a memory's limits at the reader and hands them with their byte range to `onMemory`. */
function readMemoryAt(r: Reader, source: MemoryLimits["source"], onMemory: OnMemory): void {
  const limitsStart = r.offset;
  const limits = readMemoryLimits(r, source);
  onMemory(limits, limitsStart, r.offset);
}

/** The import section's memory imports (`onGlobal` counts global imports; every other kind is skipped). */
function walkImports(bytes: Uint8Array, section: Section, onMemory: OnMemory, onGlobal?: () => void): void {
  readVectorSection(bytes, section, "import section", (r) => {
    const moduleName = r.name();
    const fieldName = r.name();
    const kind = r.byte();
    switch (kind) {
      case 0x00: // function: type index
        r.u32();
        break;
      case 0x01: {
        // table: reftype + limits (table64 limits are u64)
        r.byte();
        const flags = r.byte();
        r.skipLeb();
        if (flags & LIMITS_HAS_MAX) r.skipLeb();
        break;
      }
      case 0x02:
        readMemoryAt(r, `import ${moduleName}.${fieldName}`, onMemory);
        break;
      case 0x03: // global: valtype + mutability
        r.byte();
        r.byte();
        onGlobal?.();
        break;
      case 0x04: // tag (exception handling): attribute + type index
        r.byte();
        r.u32();
        break;
      default:
        throw invalidModule(`unknown import kind 0x${kind.toString(16)}`);
    }
  });
}

/** The memory section's memories. */
function walkMemories(bytes: Uint8Array, section: Section, onMemory: OnMemory): void {
  readVectorSection(bytes, section, "memory section", (r) => readMemoryAt(r, "defined", onMemory));
}

/** The memories of a section that holds them (import or memory section); other sections hold none. */
function walkSectionMemories(bytes: Uint8Array, section: Section, onMemory: OnMemory): void {
  if (section.id === SECTION_IMPORT) walkImports(bytes, section, onMemory);
  if (section.id === SECTION_MEMORY) walkMemories(bytes, section, onMemory);
}

/** Lists every memory of a module (imported and defined) with its limits in pages. */
export function readMemories(bytes: Uint8Array): MemoryLimits[] {
  const memories: MemoryLimits[] = [];
  for (const section of readSections(bytes)) walkSectionMemories(bytes, section, (l) => memories.push(l));
  return memories;
}

/** How many globals a module imports (they come first in the global index space). */
export function countImportedGlobals(bytes: Uint8Array): number {
  let count = 0;
  const section = readSections(bytes).find((s) => s.id === SECTION_IMPORT);
  if (section) walkImports(bytes, section, () => {}, () => count++);
  return count;
}

/**
 * Returns a copy of `bytes` whose memories (defined and imported) have a maximum of at most
 * `capPages` 64 KiB pages. Throws ModuleBinaryError for memory64 modules, for a memory whose
 * initial size is already above the cap, and for malformed binaries.
 */
export function capMemory(bytes: Uint8Array, capPages: number): Uint8Array<ArrayBuffer> {
  return joinPieces(capMemoryPieces(bytes, capPages));
}

/**
 * The capped module as pieces in order: views of `bytes` for every section left as it is, new
 * bytes for the rebuilt ones. A caller that must not stall (the console, on a 60 MiB upload) joins
 * them a slice at a time instead of in one copy.
 */
export function capMemoryPieces(bytes: Uint8Array, capPages: number): Uint8Array[] {
  if (!Number.isInteger(capPages) || capPages < 0 || capPages > 65536) {
    throw new RangeError(`memory cap must be an integer number of pages in [0, 65536], got ${capPages}`);
  }
  const pieces: (Uint8Array | number[])[] = [bytes.subarray(0, 8)];
  for (const section of readSections(bytes)) {
    if (section.id !== SECTION_IMPORT && section.id !== SECTION_MEMORY) {
      pieces.push(bytes.subarray(section.start, section.end));
      continue;
    }
    const replacements: Replacement[] = [];
    walkSectionMemories(bytes, section, (limits, start, end) => replacements.push({ start, end, bytes: encodeCappedLimits(limits, capPages) }));
    pieces.push(...spliceSection(bytes, section, replacements));
  }
  return pieces.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p)));
}

/** Converts a byte budget to whole pages (rounding down, at least one page). */
export function bytesToPages(bytes: number): number {
  return Math.max(1, Math.floor(bytes / WASM_PAGE_BYTES));
}
