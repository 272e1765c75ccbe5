// Bounds-checked access to a guest's linear memory. Every access checks that the
// cached view is still over the memory's current buffer: any call back into the
// guest (or memory.grow) may replace the ArrayBuffer, which detaches every view
// made before it.

/** Thrown for a guest pointer outside its memory; the host turns it into EFAULT. */
export class GuestFault extends Error {
  constructor(ptr: number, len: number) {
    super(`guest pointer ${ptr}+${len} is outside linear memory`);
  }
}

const utf8Strict = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

export class GuestMemory {
  private memory: WebAssembly.Memory | undefined;
  private cachedView: DataView | undefined;

  attach(memory: WebAssembly.Memory): void {
    this.memory = memory;
    this.cachedView = undefined;
  }

  detach(): void {
    this.memory = undefined;
    this.cachedView = undefined;
  }

  get attached(): boolean {
    return this.memory !== undefined;
  }

  private buffer(): ArrayBuffer {
    if (!this.memory) throw new Error("guest memory used before the module exported it");
    return this.memory.buffer;
  }

  view(): DataView {
    const buffer = this.buffer();
    const cached = this.cachedView;
    if (cached !== undefined && cached.buffer === buffer) return cached;
    return (this.cachedView = new DataView(buffer));
  }

  /** A live view of guest bytes; do not keep it across calls that may grow memory. */
  bytes(ptr: number, len: number): Uint8Array {
    const buffer = this.buffer();
    ptr >>>= 0;
    len >>>= 0;
    if (ptr + len > buffer.byteLength) throw new GuestFault(ptr, len);
    return new Uint8Array(buffer, ptr, len);
  }

  /** A UTF-8 string; throws TypeError on invalid UTF-8 (the host maps it to EILSEQ). */
  readString(ptr: number, len: number): string {
    return utf8Strict.decode(this.bytes(ptr, len));
  }

  u8(ptr: number, value: number): void {
    this.view().setUint8(ptr >>> 0, value);
  }
  u16(ptr: number, value: number): void {
    this.view().setUint16(ptr >>> 0, value, true);
  }
  u32(ptr: number, value: number): void {
    this.view().setUint32(ptr >>> 0, value >>> 0, true);
  }
  u64(ptr: number, value: bigint): void {
    this.view().setBigUint64(ptr >>> 0, BigInt.asUintN(64, value), true);
  }
  getU8(ptr: number): number {
    return this.view().getUint8(ptr >>> 0);
  }
  getU16(ptr: number): number {
    return this.view().getUint16(ptr >>> 0, true);
  }
  getU32(ptr: number): number {
    return this.view().getUint32(ptr >>> 0, true);
  }
  getU64(ptr: number): bigint {
    return this.view().getBigUint64(ptr >>> 0, true);
  }

  /** The (ptr, len) pairs of an iovec/ciovec array. */
  iovecs(ptr: number, count: number): Array<[number, number]> {
    const view = this.view();
    ptr >>>= 0;
    count >>>= 0;
    if (ptr + count * 8 > view.byteLength) throw new GuestFault(ptr, count * 8);
    const out: Array<[number, number]> = [];
    for (let i = 0; i < count; i++) {
      out.push([view.getUint32(ptr + i * 8, true), view.getUint32(ptr + i * 8 + 4, true)]);
    }
    return out;
  }

  /** Gather the bytes of a ciovec array into one copy. */
  gather(ptr: number, count: number): Uint8Array {
    const vecs = this.iovecs(ptr, count);
    let total = 0;
    for (const [, len] of vecs) total += len;
    const out = new Uint8Array(total);
    let offset = 0;
    for (const [p, len] of vecs) {
      out.set(this.bytes(p, len), offset);
      offset += len;
    }
    return out;
  }

  /** Scatter `data` into an iovec array; returns the number of bytes copied. */
  scatter(ptr: number, count: number, data: Uint8Array): number {
    let copied = 0;
    for (const [p, len] of this.iovecs(ptr, count)) {
      if (copied >= data.length) break;
      const chunk = data.subarray(copied, copied + len);
      this.bytes(p, chunk.length).set(chunk);
      copied += chunk.length;
    }
    return copied;
  }

  /** Lay out NUL-terminated strings with a pointer table, as args_get/environ_get need. */
  writeStringTable(pointersPtr: number, bufferPtr: number, strings: Uint8Array[]): void {
    let cursor = bufferPtr >>> 0;
    strings.forEach((s, i) => {
      this.u32(pointersPtr + i * 4, cursor);
      const target = this.bytes(cursor, s.length + 1);
      target.set(s);
      target[s.length] = 0;
      cursor += s.length + 1;
    });
  }
}

export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}
