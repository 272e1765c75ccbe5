import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import wabtInit from "wabt";
import { readMemories } from "../wasm/memory-cap";
import { importDefinedMemory, MemoryPool, RECYCLED_MEMORY_IMPORT } from "./recycled-memory";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/wasm");
let wat: (source: string) => Uint8Array<ArrayBuffer>;

beforeAll(async () => {
  const wabt = await wabtInit();
  wat = (source) => {
    const mod = wabt.parseWat("test.wat", source, {});
    try {
      return new Uint8Array(mod.toBinary({}).buffer);
    } finally {
      mod.destroy();
    }
  };
});

describe("importDefinedMemory", () => {
  it("turns every fixture's memory into an import and changes nothing else", () => {
    for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith(".wasm"))) {
      const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, file)));
      const rewritten = importDefinedMemory(bytes);
      expect(rewritten, file).not.toBeNull();
      const before = new WebAssembly.Module(bytes);
      const after = new WebAssembly.Module(rewritten!.bytes);
      expect(WebAssembly.Module.exports(after), file).toEqual(WebAssembly.Module.exports(before));
      expect(WebAssembly.Module.imports(after), file).toEqual([
        ...WebAssembly.Module.imports(before),
        { ...RECYCLED_MEMORY_IMPORT, kind: "memory" },
      ]);
      const original = readMemories(bytes)[0]!;
      expect(rewritten!.shape, file).toEqual({ initialPages: original.minPages, maximumPages: original.maxPages });
    }
  });

  it("leaves modules without exactly one defined, unshared memory alone", () => {
    expect(importDefinedMemory(wat(`(module (func (export "f")))`))).toBeNull();
    expect(importDefinedMemory(wat(`(module (import "env" "memory" (memory 1)))`))).toBeNull();
  });

  it("keeps the maximum (the publish-time cap) on the import", () => {
    const rewritten = importDefinedMemory(wat(`(module (memory (export "memory") 1 4))`))!;
    expect(rewritten.shape).toEqual({ initialPages: 1, maximumPages: 4 });
    const module = new WebAssembly.Module(rewritten.bytes);
    const unbounded = new WebAssembly.Memory({ initial: 1 });
    expect(() => new WebAssembly.Instance(module, { [RECYCLED_MEMORY_IMPORT.module]: { memory: unbounded } })).toThrow(
      WebAssembly.LinkError,
    );
  });
});

describe("MemoryPool", () => {
  // Reads a cell, then writes 42 there: with an isolated memory every run reads 0.
  const PROBE = `(module
    (memory (export "memory") 1 8)
    (data (i32.const 0) "\\07")
    (func (export "probe") (result i32)
      (local $old i32)
      (local.set $old (i32.load (i32.const 1024)))
      (i32.store (i32.const 1024) (i32.const 42))
      (i32.store8 (i32.const 0) (i32.const 9))
      (local.get $old)))`;

  it("gives each instance a memory in its initial state: zeroed, data segments rewritten", () => {
    const { bytes, shape } = importDefinedMemory(wat(PROBE))!;
    const module = new WebAssembly.Module(bytes);
    const pool = new MemoryPool();
    for (let i = 0; i < 3; i++) {
      const memory = pool.acquire(shape);
      const instance = new WebAssembly.Instance(module, { [RECYCLED_MEMORY_IMPORT.module]: { memory } });
      expect(new Uint8Array(memory.buffer)[0]).toBe(7);
      expect((instance.exports.probe as () => number)()).toBe(0);
      pool.release(shape, memory);
    }
    expect(pool.created).toBe(1);
    expect(pool.reused).toBe(2);
  });

  it("never reuses a memory that grew", () => {
    const shape = { initialPages: 1, maximumPages: 8 };
    const pool = new MemoryPool();
    const memory = pool.acquire(shape);
    memory.grow(1);
    pool.release(shape, memory);
    expect(pool.acquire(shape)).not.toBe(memory);
    expect(pool.created).toBe(2);
  });
});
