// The gateway's and publish's compiles of modules too big to compile in place run in standing worker
// threads (compile-in-worker.ts): one thread serves compile after compile instead of one thread
// started per compile, a compile never waits behind another, a worker that fails its deadline is
// stopped and not reused, and one that has compiled many bytes is replaced.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { manyFunctions } from "@/lib/testing/huge-modules";
import { paddedModule } from "@/lib/testing/padded-module";
import { BYTES_PER_WORKER, COMPILE_IN_PLACE_MAX_BYTES, ModuleCompileTimeout, compileInWorker, compileWorkerStats, describeInWorker } from "./compile-in-worker";

/** A fixture with a custom section that takes it past COMPILE_IN_PLACE_MAX_BYTES: it compiles in a worker. */
function fixture(name: string): Uint8Array {
  const bytes = readFileSync(path.resolve(import.meta.dirname, "../../fixtures/wasm", `${name}.wasm`));
  const content = [3, ...new TextEncoder().encode("pad"), ...new Uint8Array(COMPILE_IN_PLACE_MAX_BYTES)];
  const size: number[] = [];
  for (let n = content.length; ; n >>>= 7) {
    if (n < 0x80) {
      size.push(n);
      break;
    }
    size.push((n & 0x7f) | 0x80);
  }
  return new Uint8Array([...bytes, 0, ...size, ...content]);
}
/** A wasm header, then a type section whose content is not types (zeros up to past the in-place size). */
const INVALID = new Uint8Array(COMPILE_IN_PLACE_MAX_BYTES + 1);
INVALID.set([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x7f, 0x01]);
const exportNames = (module: WebAssembly.Module) => WebAssembly.Module.exports(module).map((e) => e.name);

describe("compiles in standing workers", () => {
  it("one worker serves compiles one after another, each answering the module it was given", async () => {
    await compileInWorker(fixture("hello-wat"));
    const before = compileWorkerStats().started;
    const names = [];
    for (const name of ["hello-c", "routes", "hello-wat", "many-exports", "hello-rust"]) names.push(exportNames(await compileInWorker(fixture(name))));
    expect(compileWorkerStats().started).toBe(before);
    expect(names[1]).toContain("_routes");
    expect(names[0]).not.toContain("_routes");
    expect(compileWorkerStats().idle).toBeGreaterThan(0);
  });

  it("an invalid module is a CompileError, and its worker serves the next compile", async () => {
    await compileInWorker(fixture("hello-wat"));
    const before = compileWorkerStats().started;
    await expect(compileInWorker(INVALID)).rejects.toBeInstanceOf(WebAssembly.CompileError);
    expect(exportNames(await compileInWorker(fixture("hello-c")))).toContain("_start");
    expect(compileWorkerStats().started).toBe(before);
  });

  it("describes a module's imports and exports without handing the module back", async () => {
    const description = await describeInWorker(fixture("hello-c"));
    expect(description.exports).toContainEqual({ name: "_start", kind: "function" });
    expect(description.imports.map((i) => i.module)).toContain("wasi_snapshot_preview1");
    await expect(describeInWorker(INVALID)).rejects.toBeInstanceOf(WebAssembly.CompileError);
  });

  it("a worker that has compiled BYTES_PER_WORKER is not kept: the Modules its heap holds stay bounded", async () => {
    await describeInWorker(fixture("hello-wat"));
    const idleBefore = compileWorkerStats().idle;
    const described = await describeInWorker(new Uint8Array(await paddedModule(BYTES_PER_WORKER)));
    expect(described.exports).toContainEqual({ name: "_start", kind: "function" });
    expect(compileWorkerStats().idle).toBe(idleBefore - 1);
  });

  it("a compile past its deadline stops its worker; the next compile gets a new one that works", async () => {
    await compileInWorker(fixture("hello-wat"));
    const before = compileWorkerStats().started;
    await expect(compileInWorker(manyFunctions(998_000), { timeoutMs: 20 })).rejects.toBeInstanceOf(ModuleCompileTimeout);
    expect(exportNames(await compileInWorker(fixture("hello-wat")))).toContain("_start");
    // The standing worker took the huge module and was stopped: hello needed another.
    expect(compileWorkerStats().started).toBeGreaterThan(before);
  });

  it("a compile does not wait behind a long one: it gets a worker of its own", async () => {
    const order: string[] = [];
    const long = compileInWorker(manyFunctions(300_000), { timeoutMs: 60_000 }).then(() => order.push("long"));
    const short = compileInWorker(fixture("hello-c")).then(() => order.push("short"));
    await Promise.all([long, short]);
    expect(order).toEqual(["short", "long"]);
  }, 90_000);
});
