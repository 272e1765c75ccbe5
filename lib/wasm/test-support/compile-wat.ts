// Test-only: WAT text → wasm bytes/module with the wabt npm package, so tests
// need no native toolchain. Node-only (wabt.js is loaded from node_modules).
import wabtInit from "wabt";

let wabt: Awaited<ReturnType<typeof wabtInit>> | undefined;

export async function watToBinary(source: string): Promise<Uint8Array> {
  wabt ??= await wabtInit();
  const parsed = wabt.parseWat("test.wat", source);
  try {
    parsed.validate();
    return parsed.toBinary({}).buffer;
  } finally {
    parsed.destroy();
  }
}

export async function compileWat(source: string): Promise<WebAssembly.Module> {
  return new WebAssembly.Module((await watToBinary(source)) as BufferSource);
}
