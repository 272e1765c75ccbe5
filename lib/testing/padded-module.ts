// A valid module of any size for upload tests: the WAT hello world plus a custom section of
// padding (custom sections are skipped by the engine, so it still runs and answers "hello").
import { readFile } from "node:fs/promises";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

function leb128(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>>= 7;
    if (n === 0) return [...out, byte];
    out.push(byte | 0x80);
  }
}

export async function paddedModule(size: number): Promise<Buffer> {
  const hello = await readFile(path.join(ROOT, "fixtures", "wasm", "hello-wat.wasm"));
  const name = Buffer.from("padding");
  // Section header: id 0, then the content length; content: name length, name, payload.
  let payload = size - hello.length - 1 - name.length - 1 - 5;
  const content = () => Buffer.concat([Buffer.from([name.length]), name, Buffer.alloc(Math.max(0, payload), 0x2a)]);
  let module = Buffer.concat([hello, Buffer.from([0x00, ...leb128(content().length)]), content()]);
  payload += size - module.length;
  module = Buffer.concat([hello, Buffer.from([0x00, ...leb128(content().length)]), content()]);
  return module;
}
