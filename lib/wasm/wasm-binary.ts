/**
 * The outer layer of the WebAssembly binary format that publish and the gateway read and rewrite
 * without compiling: unsigned LEB128, the section list, vectors of entries, and splicing new bytes
 * into one section while every other byte is copied as it is. memory-cap.ts, module-limits.ts and
 * the gateway's recycled memory build on it.
 */

export type ModuleBinaryErrorCode = "invalid-module" | "memory64" | "initial-memory-too-large";

/** The module's bytes are malformed, or break a rule of the platform's (memory64, memory over the cap). */
export class ModuleBinaryError extends Error {
  constructor(
    readonly code: ModuleBinaryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ModuleBinaryError";
  }
}

export function invalidModule(detail: string): ModuleBinaryError {
  return new ModuleBinaryError("invalid-module", `Not a valid WebAssembly module: ${detail}.`);
}

export class Reader {
  offset = 0;
  constructor(readonly bytes: Uint8Array) {}

  byte(): number {
    const b = this.bytes[this.offset];
    if (b === undefined) throw invalidModule("unexpected end of module");
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
      if (shift > 28) throw invalidModule("LEB128 value longer than 5 bytes");
    }
    if (result > 0xffffffff) throw invalidModule("LEB128 value does not fit in 32 bits");
    return result;
  }

  /** Skips an unsigned LEB128 of any width (table64 limits use u64). */
  skipLeb(): void {
    for (let i = 0; i < 10; i++) if ((this.byte() & 0x80) === 0) return;
    throw invalidModule("LEB128 value longer than 10 bytes");
  }

  skip(n: number): void {
    if (this.offset + n > this.bytes.length) throw invalidModule("unexpected end of module");
    this.offset += n;
  }

  name(): string {
    const len = this.u32();
    const start = this.offset;
    this.skip(len);
    return new TextDecoder().decode(this.bytes.subarray(start, start + len));
  }
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
    if (r.byte() !== expected) throw invalidModule("bad magic number or version (is this a component or a text file?)");
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

/** A reader over one section's content, that cannot read past its end. */
export function sectionReader(bytes: Uint8Array, section: Section): Reader {
  const r = new Reader(bytes.subarray(0, section.end));
  r.offset = section.contentStart;
  return r;
}

/**
 * Reads a section that is one vector (count, then entries): `readEntry` reads entry `i` from the
 * reader. The entries must fill the section exactly; `what` names it in the error ("import section").
 */
export function readVectorSection(bytes: Uint8Array, section: Section, what: string, readEntry: (r: Reader, i: number) => void): void {
  const r = sectionReader(bytes, section);
  const count = r.u32();
  for (let i = 0; i < count; i++) readEntry(r, i);
  if (r.offset !== section.end) throw invalidModule(`${what} has trailing bytes`);
}

/** New bytes for the range [start, end) of a section's content. */
export interface Replacement {
  start: number;
  end: number;
  bytes: number[];
}

/** The section rebuilt with `replacements` (in order, not overlapping): its new header, then its content in pieces. */
export function spliceSection(bytes: Uint8Array, section: Section, replacements: Replacement[]): (Uint8Array | number[])[] {
  const content: (Uint8Array | number[])[] = [];
  let cursor = section.contentStart;
  for (const { start, end, bytes: replacement } of replacements) {
    content.push(bytes.subarray(cursor, start), replacement);
    cursor = end;
  }
  content.push(bytes.subarray(cursor, section.end));
  const size = content.reduce((n, p) => n + p.length, 0);
  return [[section.id, ...encodeU32(size)], ...content];
}

export function joinPieces(pieces: readonly (Uint8Array | number[])[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of pieces) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** The pieces as one array: a lone piece is returned as it is, not copied (a body read in one chunk). */
export function joinBytes(pieces: readonly Uint8Array[]): Uint8Array {
  return pieces.length === 1 ? pieces[0]! : joinPieces(pieces);
}
