import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hashModule, ModuleCache } from "./module-cache";

const bytes = new Uint8Array(readFileSync(path.resolve(import.meta.dirname, "../../fixtures/wasm/hello-wat.wasm")));
const other = new Uint8Array(readFileSync(path.resolve(import.meta.dirname, "../../fixtures/wasm/trap.wasm")));

describe("ModuleCache", () => {
  it("compiles once per content hash, even for concurrent misses", async () => {
    const cache = new ModuleCache();
    const hash = hashModule(bytes);
    let loads = 0;
    const load = async () => (loads++, bytes);
    const [a, b] = await Promise.all([cache.get(hash, load), cache.get(hash, load)]);
    expect(a).toBe(b);
    expect(await cache.get(hash, load)).toBe(a);
    expect(cache.compilations).toBe(1);
    expect(loads).toBe(1);
  });

  it("evicts the least recently used module", async () => {
    const cache = new ModuleCache({ maxEntries: 1 });
    await cache.get(hashModule(bytes), () => bytes);
    await cache.get(hashModule(other), () => other);
    expect(cache.peek(hashModule(bytes))).toBeUndefined();
    expect(cache.size).toBe(1);
  });

  it("refuses bytes that do not match their hash", async () => {
    await expect(new ModuleCache().get(hashModule(bytes), () => other)).rejects.toThrow(/do not match/);
  });
});
