// Modules just under V8's own limits (issue #13 item 16), written byte by byte: as WAT text a
// million functions would be larger than the module, and they are too big to commit.
export const u32 = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const name = (s: string) => [...u32(Buffer.byteLength(s)), ...Buffer.from(s)];
export const section = (id: number, content: number[]) => [id, ...u32(content.length), ...content];
export const module = (...sections: number[][]) => new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...sections.flat()]);
export const TYPE = section(1, [1, 0x60, 0, 0]);
export const MEMORY = section(5, [1, 0, 1]);
export const EXPORTS = (start: number) => section(7, [2, ...name("memory"), 2, 0, ...name("_start"), 0, ...u32(start)]);

/**
 * `n` empty functions, the first exported as _start (999,000: just under V8's own limit of a
 * million). V8 keeps compiled modules by their bytes for the whole process, so each test that
 * times a compile builds a module of its own `n`.
 */
export function manyFunctions(n: number): Uint8Array {
  const count = u32(n);
  const bodies = new Uint8Array(3 * n);
  for (let i = 0; i < n; i++) bodies.set([2, 0, 0x0b], 3 * i);
  const parts: ArrayLike<number>[] = [
    [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    TYPE,
    [3, ...u32(count.length + n), ...count],
    new Uint8Array(n), // every function of type 0
    MEMORY,
    EXPORTS(0),
    [10, ...u32(count.length + 3 * n), ...count],
    bodies,
  ];
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** `n` imports of the same WASI function (100,000: V8's own limit), the last function exported as _start. */
export function manyImports(n: number): Uint8Array {
  const entry = [...name("wasi_snapshot_preview1"), ...name("sched_yield"), 0, 0];
  const count = u32(n);
  const imports = new Uint8Array(count.length + entry.length * n);
  imports.set(count);
  for (let i = 0; i < n; i++) imports.set(entry, count.length + entry.length * i);
  const head = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...section(1, [1, 0x60, 0, 1, 0x7f]), 2, ...u32(imports.length)];
  const tail = [...section(3, [1, 1]), ...MEMORY, ...EXPORTS(n), ...section(10, [1, 4, 0, 0x41, 0, 0x0b])];
  const out = new Uint8Array(head.length + imports.length + tail.length);
  out.set(head);
  out.set(imports, head.length);
  out.set(tail, head.length + imports.length);
  return out;
}
