// Collects what a guest writes to stdout/stderr. A byte cap turns a runaway
// guest into a clean "output-too-large" error instead of exhausting host memory.

/** Thrown out of fd_write once a capped stream would exceed its limit. */
export class OutputTooLarge extends Error {
  constructor(readonly stream: string, readonly limit: number) {
    super(`guest wrote more than ${limit} bytes to ${stream}`);
  }
}

export class OutputSink {
  private chunks: Uint8Array[] = [];
  private length = 0;

  constructor(readonly name: string, private readonly limit = Infinity) {}

  write(data: Uint8Array): void {
    if (this.length + data.length > this.limit) {
      // Keep what fits so the caller can still show the start of the output.
      this.push(data.subarray(0, this.limit - this.length));
      throw new OutputTooLarge(this.name, this.limit);
    }
    this.push(data);
  }

  get size(): number {
    return this.length;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  private push(data: Uint8Array): void {
    if (data.length === 0) return;
    this.chunks.push(data.slice());
    this.length += data.length;
  }
}
