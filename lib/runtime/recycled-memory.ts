/**
 * Memory recycling for fresh-instance-per-request.
 *
 * Allocating a module's linear memory is most of what instantiation costs (V8 reserves a large
 * guarded address range per memory, the kernel zero-fills touched pages, and the GC later has
 * to free the reservation): ~50–120 µs of a ~60–130 µs instantiate for a hello world, against
 * ~5 µs with a ready memory. So, once per compiled version, the module's own memory is turned
 * into an import, and each request gets a memory that is either new or a previous one
 * returned in exactly its initial state: same size (a memory that grew is never reused, it
 * cannot shrink) and every byte zero. Instantiation then writes the data segments as usual.
 * Globals, tables and the instance itself are still new for every request.
 */
import { readMemories, WASM_PAGE_BYTES } from "../wasm/memory-cap";
import { encodeU32, readSections, sectionReader } from "../wasm/wasm-binary";

/** Import module/name the rewritten module receives its memory under. Not importable by users:
 * publish-time validation refuses every import the platform does not offer. */
export const RECYCLED_MEMORY_IMPORT = { module: "wasmcompute:memory", name: "memory" } as const;

export interface MemoryShape {
  initialPages: number;
  maximumPages: number | null;
}

const SECTION_TYPE = 1;
const SECTION_IMPORT = 2;
const SECTION_MEMORY = 5;

function encodeName(text: string): number[] {
  const bytes = new TextEncoder().encode(text);
  return [...encodeU32(bytes.length), ...bytes];
}

/**
 * Rewrites a module whose only memory is defined in it so that this memory is imported
 * instead (under RECYCLED_MEMORY_IMPORT). Returns null, leaving the module as it is, when
 * that does not apply: no memory, an imported or shared memory, or several memories.
 * Memory index 0 stays index 0 (imports come first in the index space), so nothing else moves.
 */
export function importDefinedMemory(bytes: Uint8Array): { bytes: Uint8Array<ArrayBuffer>; shape: MemoryShape } | null {
  const memories = readMemories(bytes);
  if (memories.length !== 1 || memories[0]!.source !== "defined" || memories[0]!.shared) return null;
  const limits = memories[0]!;

  const sections = readSections(bytes);
  const memorySection = sections.find((s) => s.id === SECTION_MEMORY)!;
  const entry = [
    ...encodeName(RECYCLED_MEMORY_IMPORT.module),
    ...encodeName(RECYCLED_MEMORY_IMPORT.name),
    0x02, // memory
    ...(limits.maxPages === null
      ? [0x00, ...encodeU32(limits.minPages)]
      : [0x01, ...encodeU32(limits.minPages), ...encodeU32(limits.maxPages)]),
  ];

  const pieces: (Uint8Array | number[])[] = [bytes.subarray(0, 8)];
  const importSection = sections.find((s) => s.id === SECTION_IMPORT);
  const newImportSection = (): number[] => {
    let count = 0;
    let rest: Uint8Array = new Uint8Array(0);
    if (importSection) {
      const r = sectionReader(bytes, importSection);
      count = r.u32();
      rest = bytes.subarray(r.offset, importSection.end);
    }
    const content = [...encodeU32(count + 1), ...rest, ...entry];
    return [SECTION_IMPORT, ...encodeU32(content.length), ...content];
  };

  let importWritten = false;
  for (const section of sections) {
    // The import section sits after the type section and before every later known section.
    if (!importWritten && !importSection && section.id !== 0 && section.id > SECTION_TYPE) {
      pieces.push(newImportSection());
      importWritten = true;
    }
    if (section.id === SECTION_IMPORT) {
      pieces.push(newImportSection());
      importWritten = true;
    } else if (section === memorySection) {
      // The only memory moved to the imports: drop the section.
    } else {
      pieces.push(bytes.subarray(section.start, section.end));
    }
  }
  if (!importWritten) pieces.push(newImportSection());

  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of pieces) {
    out.set(p, offset);
    offset += p.length;
  }
  return { bytes: out, shape: { initialPages: limits.minPages, maximumPages: limits.maxPages } };
}

/** Free memories by shape, each exactly as a new one would be (initial size, all zero). */
export class MemoryPool {
  private readonly free = new Map<string, WebAssembly.Memory[]>();
  private pooledBytes = 0;
  reused = 0;
  created = 0;

  constructor(
    private readonly perShape = 4,
    /** Memories larger than this are not kept: zeroing them would cost more than a new one. */
    private readonly maxBytes = 16 * 1024 * 1024,
    /** Bound on all pooled memories together (per worker). */
    private readonly maxPooledBytes = 64 * 1024 * 1024,
  ) {}

  private key(shape: MemoryShape): string {
    return `${shape.initialPages}:${shape.maximumPages ?? ""}`;
  }

  acquire(shape: MemoryShape): WebAssembly.Memory {
    const memory = this.free.get(this.key(shape))?.pop();
    if (memory) {
      this.pooledBytes -= memory.buffer.byteLength;
      this.reused++;
      return memory;
    }
    this.created++;
    return new WebAssembly.Memory(
      shape.maximumPages === null
        ? { initial: shape.initialPages }
        : { initial: shape.initialPages, maximum: shape.maximumPages },
    );
  }

  /** Gives a memory back after its instance has finished; scrubs it or drops it. */
  release(shape: MemoryShape, memory: WebAssembly.Memory): void {
    const size = shape.initialPages * WASM_PAGE_BYTES;
    if (memory.buffer.byteLength !== size || size > this.maxBytes) return;
    const list = this.free.get(this.key(shape)) ?? [];
    if (list.length >= this.perShape || this.pooledBytes + size > this.maxPooledBytes) return;
    new Uint8Array(memory.buffer).fill(0);
    this.pooledBytes += size;
    list.push(memory);
    this.free.set(this.key(shape), list);
  }
}
