// Collects what a guest writes to stdout/stderr. A byte cap turns a runaway
// guest into a clean "output-too-large" error instead of exhausting host memory;
// a keep cap (for stderr) keeps the first bytes and only counts the rest.

/** Thrown out of fd_write once a capped stream would exceed its limit. */
export class OutputTooLarge extends Error {
  constructor(readonly stream: string, readonly limit: number) {
    super(`guest wrote more than ${limit} bytes to ${stream}`);
  }
}

const encoder = new TextEncoder();
/**
 * Output up to this size goes into one buffer that is reused by the next run of a pooled host;
 * beyond it each write is kept as its own copy, as large outputs are rare and must not double
 * a huge buffer (a failed allocation would surface inside fd_write, not as a host error).
 */
const BUFFER_BYTES = 64 * 1024;

export class OutputSink {
  private buffer = new Uint8Array(0);
  /** Bytes in `buffer`; the rest of the output is in `overflow`. */
  private buffered = 0;
  private overflow: Uint8Array[] = [];
  private length = 0;
  private limit = Infinity;
  private keep = Infinity;
  /** Bytes written beyond the keep cap (counted, not stored). */
  dropped = 0;
  /** A budget shared with other output (lib/wasm/log-budget.ts): what is kept here is taken from it. */
  private shared: { left: number } | null = null;

  constructor(readonly name: string, limit = Infinity, keep = Infinity) {
    this.reset(limit, keep);
  }

  /** Empties the sink for a new run (the buffer is reused when small). */
  reset(limit = Infinity, keep = Infinity, shared: { left: number } | null = null): void {
    this.limit = limit;
    this.keep = keep;
    this.shared = shared;
    this.length = 0;
    this.buffered = 0;
    this.dropped = 0;
    if (this.overflow.length > 0) this.overflow = [];
  }

  write(data: Uint8Array): void {
    if (this.length + data.length > this.limit) {
      // Keep what fits so the caller can still show the start of the output.
      this.push(data.subarray(0, this.limit - this.length));
      throw new OutputTooLarge(this.name, this.limit);
    }
    const room = this.shared ? Math.max(0, Math.min(this.keep - this.length, this.shared.left)) : this.keep - this.length;
    if (data.length > room) {
      this.push(data.subarray(0, room));
      this.dropped += data.length - room;
      if (this.shared) this.shared.left -= room;
      return;
    }
    this.push(data);
    if (this.shared) this.shared.left -= data.length;
  }

  /** Bytes written, kept or not. */
  get size(): number {
    return this.length + this.dropped;
  }

  /** A copy of the output; when bytes were dropped, ends with a line saying how many. */
  bytes(): Uint8Array {
    const kept = this.overflow.length > 0 ? this.view() : this.buffer.slice(0, this.length);
    if (this.dropped === 0) return kept;
    const marker = encoder.encode(`${kept.at(-1) === 0x0a || kept.length === 0 ? "" : "\n"}[${this.dropped} more bytes of ${this.name} dropped]\n`);
    const out = new Uint8Array(kept.length + marker.length);
    out.set(kept);
    out.set(marker, kept.length);
    return out;
  }

  /** The kept bytes, without copying when they fit the reused buffer; valid until the next write or reset. */
  view(): Uint8Array {
    if (this.overflow.length === 0) return this.buffer.subarray(0, this.length);
    const out = new Uint8Array(this.length);
    out.set(this.buffer.subarray(0, this.buffered));
    let offset = this.buffered;
    for (const chunk of this.overflow) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  private push(data: Uint8Array): void {
    const n = data.length;
    if (n === 0) return;
    const needed = this.buffered + n;
    if (this.overflow.length === 0 && needed <= BUFFER_BYTES) {
      if (needed > this.buffer.length) {
        const grown = new Uint8Array(Math.min(BUFFER_BYTES, Math.max(needed, this.buffer.length * 2, 1024)));
        grown.set(this.buffer.subarray(0, this.buffered));
        this.buffer = grown;
      }
      this.buffer.set(data, this.buffered);
      this.buffered = needed;
    } else {
      this.overflow.push(data.slice());
    }
    this.length += n;
  }
}
