/**
 * Publish-time memory cap: rewrite a module's memory limits so that `memory.grow` fails inside
 * the guest at the cap. A module that declares no maximum can otherwise grow to 4 GiB, and
 * nothing at run time can stop it short of killing the worker.
 *
 * Only the import section (imported memories) and the memory section are rebuilt; every other
 * section is copied byte for byte.
 */

export const WASM_PAGE_BYTES = 65536;

const SECTION_IMPORT = 2;
const SECTION_MEMORY = 5;

const LIMITS_HAS_MAX = 0x01;
const LIMITS_SHARED = 0x02;
const LIMITS_MEMORY64 = 0x04;
const LIMITS_KNOWN_FLAGS = LIMITS_HAS_MAX | LIMITS_SHARED | LIMITS_MEMORY64;

export type MemoryCapErrorCode = "invalid-module" | "memory64" | "initial-memory-too-large";

export class MemoryCapError extends Error {
  constructor(
    readonly code: MemoryCapErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "MemoryCapError";
  }
}

export interface MemoryLimits {
  /** Where the memory comes from: declared in the module or imported as "module.name". */
  source: "defined" | `import ${string}`;
  minPages: number;
  maxPages: number | null;
  shared: boolean;
}

export class Reader {
  offset = 0;
  constructor(readonly bytes: Uint8Array) {}

  byte(): number {
    const b = this.bytes[this.offset];
    if (b === undefined) throw invalid("unexpected end of module");
    this.offset++;
    return b;
  }

  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
      if (shift > 28) throw invalid("LEB128 value longer than 5 bytes");
    }
    if (result > 0xffffffff) throw invalid("LEB128 value does not fit in 32 bits");
    return result;
  }

  /** Skips an unsigned LEB128 of any width (table64 limits use u64). */
  skipLeb(): void {
    for (let i = 0; i < 10; i++) if ((this.byte() & 0x80) === 0) return;
    throw invalid("LEB128 value longer than 10 bytes");
  }

  skip(n: number): void {
    if (this.offset + n > this.bytes.length) throw invalid("unexpected end of module");
    this.offset += n;
  }

  name(): string {
    const len = this.u32();
    const start = this.offset;
    this.skip(len);
    return new TextDecoder().decode(this.bytes.subarray(start, start + len));
  }
}

function invalid(detail: string): MemoryCapError {
  return new MemoryCapError("invalid-module", `Not a valid WebAssembly module: ${detail}.`);
}

export function encodeU32(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

export function readMemoryLimits(r: Reader, source: MemoryLimits["source"]): MemoryLimits {
  const flags = r.byte();
  if (flags & LIMITS_MEMORY64) {
    throw new MemoryCapError(
      "memory64",
      "This module uses 64-bit memory (memory64), which the platform does not run. " +
        "Build for wasm32 (e.g. --target wasm32-wasi).",
    );
  }
  if (flags & ~LIMITS_KNOWN_FLAGS) throw invalid(`unknown memory limits flags 0x${flags.toString(16)}`);
  const minPages = r.u32();
  const maxPages = flags & LIMITS_HAS_MAX ? r.u32() : null;
  return { source, minPages, maxPages, shared: (flags & LIMITS_SHARED) !== 0 };
}

function encodeCappedLimits(limits: MemoryLimits, capPages: number): number[] {
  if (limits.minPages > capPages) {
    const where = limits.source === "defined" ? "Its memory" : `Its imported memory (${limits.source.slice(7)})`;
    throw new MemoryCapError(
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

export interface Section {
  id: number;
  /** Offset of the section id byte. */
  start: number;
  contentStart: number;
  end: number;
}

export function readSections(bytes: Uint8Array): Section[] {
  const r = new Reader(bytes);
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  for (const expected of header) {
    if (r.byte() !== expected) throw invalid("bad magic number or version (is this a component or a text file?)");
  }
  const sections: Section[] = [];
  while (r.offset < bytes.length) {
    const start = r.offset;
    const id = r.byte();
    const size = r.u32();
    const contentStart = r.offset;
    r.skip(size);
    sections.push({ id, start, contentStart, end: r.offset });
  }
  return sections;
}

type Piece = Uint8Array | number[];

/**
 * Walks the import section; for each memory import calls `onMemory` with the limits and the
 * byte range they occupy, so the caller can read or replace them.
 */
export function walkImports(
  bytes: Uint8Array,
  section: Section,
  onMemory: (limits: MemoryLimits, limitsStart: number, limitsEnd: number) => void,
): void {
  const r = new Reader(bytes.subarray(0, section.end));
  r.offset = section.contentStart;
  const count = r.u32();
  for (let i = 0; i < count; i++) {
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
      case 0x02: {
        const limitsStart = r.offset;
        const limits = readMemoryLimits(r, `import ${moduleName}.${fieldName}`);
        onMemory(limits, limitsStart, r.offset);
        break;
      }
      case 0x03: // global: valtype + mutability
        r.byte();
        r.byte();
        break;
      case 0x04: // tag (exception handling): attribute + type index
        r.byte();
        r.u32();
        break;
      default:
        throw invalid(`unknown import kind 0x${kind.toString(16)}`);
    }
  }
  if (r.offset !== section.end) throw invalid("import section has trailing bytes");
}

function walkMemories(
  bytes: Uint8Array,
  section: Section,
  onMemory: (limits: MemoryLimits, limitsStart: number, limitsEnd: number) => void,
): void {
  const r = new Reader(bytes.subarray(0, section.end));
  r.offset = section.contentStart;
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const limitsStart = r.offset;
    const limits = readMemoryLimits(r, "defined");
    onMemory(limits, limitsStart, r.offset);
  }
  if (r.offset !== section.end) throw invalid("memory section has trailing bytes");
}

/** Lists every memory of a module (imported and defined) with its limits in pages. */
export function readMemories(bytes: Uint8Array): MemoryLimits[] {
  const memories: MemoryLimits[] = [];
  for (const section of readSections(bytes)) {
    if (section.id === SECTION_IMPORT) walkImports(bytes, section, (l) => memories.push(l));
    if (section.id === SECTION_MEMORY) walkMemories(bytes, section, (l) => memories.push(l));
  }
  return memories;
}

/**
 * Returns a copy of `bytes` whose memories (defined and imported) have a maximum of at most
 * `capPages` 64 KiB pages. Throws MemoryCapError for memory64 modules, for a memory whose
 * initial size is already above the cap, and for malformed binaries.
 */
export function capMemory(bytes: Uint8Array, capPages: number): Uint8Array<ArrayBuffer> {
  const pieces = capMemoryPieces(bytes, capPages);
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of pieces) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
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
  const pieces: Piece[] = [bytes.subarray(0, 8)];
  for (const section of readSections(bytes)) {
    if (section.id !== SECTION_IMPORT && section.id !== SECTION_MEMORY) {
      pieces.push(bytes.subarray(section.start, section.end));
      continue;
    }
    const content: Piece[] = [];
    let cursor = section.contentStart;
    const replace = (limits: MemoryLimits, limitsStart: number, limitsEnd: number) => {
      content.push(bytes.subarray(cursor, limitsStart), encodeCappedLimits(limits, capPages));
      cursor = limitsEnd;
    };
    if (section.id === SECTION_IMPORT) walkImports(bytes, section, replace);
    else walkMemories(bytes, section, replace);
    content.push(bytes.subarray(cursor, section.end));
    const size = content.reduce((n, p) => n + p.length, 0);
    pieces.push([section.id, ...encodeU32(size)], ...content);
  }
  return pieces.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p)));
}

/** Converts a byte budget to whole pages (rounding down, at least one page). */
export function bytesToPages(bytes: number): number {
  return Math.max(1, Math.floor(bytes / WASM_PAGE_BYTES));
}
