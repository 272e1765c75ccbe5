import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import wabtInit from "wabt";
import { capMemory, readMemories, WASM_PAGE_BYTES } from "./memory-cap";
import { ModuleBinaryError } from "./wasm-binary";

let wat: (source: string, features?: Record<string, boolean>) => Uint8Array<ArrayBuffer>;

beforeAll(async () => {
  const wabt = await wabtInit();
  wat = (source, features = {}) => {
    const mod = wabt.parseWat("test.wat", source, features);
    try {
      return new Uint8Array(mod.toBinary({}).buffer);
    } finally {
      mod.destroy();
    }
  };
});

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/wasm");

function growExport(bytes: Uint8Array<ArrayBuffer>): { memory: WebAssembly.Memory } {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  return instance.exports as unknown as { memory: WebAssembly.Memory };
}

describe("capMemory", () => {
  it("adds a maximum to a memory that declares none, and grow fails past it", () => {
    const bytes = wat(`(module (memory (export "memory") 1) (func (export "f") nop))`);
    expect(readMemories(bytes)).toEqual([{ source: "defined", minPages: 1, maxPages: null, shared: false }]);

    const capped = capMemory(bytes, 4);
    expect(readMemories(capped)[0]).toMatchObject({ minPages: 1, maxPages: 4 });
    const { memory } = growExport(capped);
    expect(memory.grow(3)).toBe(1);
    expect(() => memory.grow(1)).toThrow(RangeError);
    expect(memory.buffer.byteLength).toBe(4 * WASM_PAGE_BYTES);
  });

  it("lowers a bigger maximum and keeps a smaller one", () => {
    const big = capMemory(wat(`(module (memory (export "memory") 2 1000))`), 8);
    expect(readMemories(big)[0]).toMatchObject({ minPages: 2, maxPages: 8 });
    const { memory } = growExport(big);
    expect(() => memory.grow(7)).toThrow(RangeError);
    expect(memory.grow(6)).toBe(2);

    const small = capMemory(wat(`(module (memory (export "memory") 1 3))`), 8);
    expect(readMemories(small)[0]).toMatchObject({ maxPages: 3 });
  });

  it("stops the guest's own memory.grow at the cap (fixture traps after the grow fails)", () => {
    const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, "memory-grow.wasm")));
    const capped = capMemory(bytes, 16);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(capped), {});
    const { memory, _start } = instance.exports as unknown as { memory: WebAssembly.Memory; _start: () => void };
    expect(() => _start()).toThrow(WebAssembly.RuntimeError);
    expect(memory.buffer.byteLength).toBe(16 * WASM_PAGE_BYTES);
  });

  it("caps imported memory limits, so the host must supply a memory within the cap", () => {
    const bytes = wat(`(module
      (import "env" "f" (func $f))
      (import "env" "table" (table 1 funcref))
      (import "env" "memory" (memory 1))
      (import "env" "g" (global i32))
      (func (export "size") (result i32) memory.size))`);
    const capped = capMemory(bytes, 5);
    expect(readMemories(capped)).toEqual([{ source: "import env.memory", minPages: 1, maxPages: 5, shared: false }]);
    const module = new WebAssembly.Module(capped);
    const imports = (memory: WebAssembly.Memory) => ({
      env: {
        f: () => {},
        table: new WebAssembly.Table({ initial: 1, element: "anyfunc" }),
        memory,
        g: new WebAssembly.Global({ value: "i32" }, 0),
      },
    });
    expect(() => new WebAssembly.Instance(module, imports(new WebAssembly.Memory({ initial: 1 })))).toThrow(
      WebAssembly.LinkError,
    );
    const inst = new WebAssembly.Instance(module, imports(new WebAssembly.Memory({ initial: 1, maximum: 5 })));
    expect((inst.exports.size as () => number)()).toBe(1);
  });

  it("keeps shared memories shared", () => {
    const bytes = wat(`(module (memory 1 100 shared))`, { threads: true });
    expect(readMemories(capMemory(bytes, 10))[0]).toMatchObject({ maxPages: 10, shared: true });
  });

  it("copies every other section verbatim (the fixtures still validate and keep their exports)", () => {
    for (const name of ["hello-c", "hello-rust", "hello-as", "echo", "routes"]) {
      const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, `${name}.wasm`)));
      const capped = capMemory(bytes, 256);
      expect(WebAssembly.validate(capped)).toBe(true);
      expect(WebAssembly.Module.exports(new WebAssembly.Module(capped))).toEqual(
        WebAssembly.Module.exports(new WebAssembly.Module(bytes)),
      );
      expect(readMemories(capped).every((m) => m.maxPages !== null && m.maxPages <= 256)).toBe(true);
    }
  });

  it("refuses memory64, an initial size above the cap, and garbage", () => {
    const m64 = wat(`(module (memory i64 1))`, { memory64: true });
    expect(() => capMemory(m64, 10)).toThrow(expect.objectContaining({ code: "memory64" }));
    expect(() => capMemory(wat(`(module (memory 20))`), 10)).toThrow(
      expect.objectContaining({ code: "initial-memory-too-large", message: expect.stringMatching(/20 pages/) }),
    );
    expect(() => capMemory(new TextEncoder().encode("(module)"), 10)).toThrow(ModuleBinaryError);
    expect(() => capMemory(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 10, 1]), 10)).toThrow(
      /unexpected end/,
    );
  });

  it("handles a module without memory", () => {
    const bytes = wat(`(module (func (export "f")))`);
    expect(capMemory(bytes, 1)).toEqual(bytes);
  });
});
