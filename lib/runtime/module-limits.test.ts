// Huge modules (issue #13 item 16): refused at publish by their section counts before anything
// compiles; tables capped at run time; and in the gateway no compile on the main thread, and a
// compile that outlasts a request's deadline answers for that app alone, once per minute.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EXPORTS, MEMORY, TYPE, manyFunctions, manyImports, module, section, u32 } from "@/lib/testing/huge-modules";
import { watToBinary } from "@/lib/wasm/test-support/compile-wat";
import { COMPILE_IN_PLACE_MAX_BYTES, ModuleCompileTimeout, compileInWorker } from "../compile-workers/compile-in-worker";
import { createExportedRouteDiscovery } from "./discover-routes";
import { ModuleCache, prepareModule } from "./module-cache";
import { MODULE_LIMITS, capTables, checkModuleLimits, exportedFunctionNames } from "../wasm/module-limits";
import { validateModule } from "../wasm/validate-module";
import { WorkerPool, type PoolJob } from "./worker-pool";

const fixture = (name: string) => new Uint8Array(readFileSync(path.resolve(import.meta.dirname, "../../fixtures/wasm", `${name}.wasm`)));

describe("publish: limits on a module's size and sections, checked before it compiles", () => {
  const neverCompiled = async (): Promise<never> => {
    throw new Error("compiled a module that is over the limits");
  };

  it("refuses 100,000 imports and 999,000 functions, naming the count and the limit", async () => {
    expect(await validateModule({ bytes: manyImports(100_000), describe: neverCompiled })).toEqual([
      `The module has 100000 imports; the platform accepts at most ${MODULE_LIMITS.imports}. Import each function it uses once.`,
    ]);
    const problems = await validateModule({ bytes: manyFunctions(999_000), describe: neverCompiled });
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^The module has 999000 functions; the platform accepts at most ${MODULE_LIMITS.functions}\\. Build it with optimizations`))]);
  });

  it("refuses a table that starts above the table limit, and a module larger than the module limit", async () => {
    const table = module(TYPE, section(3, [1, 0]), section(4, [1, 0x70, 0, ...u32(5_000_000)]), MEMORY, EXPORTS(0), section(10, [1, 2, 0, 0x0b]));
    expect(await validateModule({ bytes: table, describe: neverCompiled })).toEqual([
      `Table 0 of the module starts with 5000000 elements; the platform allows tables of at most ${MODULE_LIMITS.tableElements}.`,
    ]);
    expect(checkModuleLimits(new Uint8Array(MODULE_LIMITS.bytes + 1))[0]).toMatch(/^The module is 64 MiB; the platform runs modules of at most 64 MiB\. Strip debug info/);
  });

  it("still accepts what real toolchains build, and the 10,000 imports and exports of many-exports", async () => {
    for (const name of ["hello-c", "hello-rust", "hello-as", "many-exports", "kv-counter-rust"]) {
      expect(checkModuleLimits(fixture(name)), name).toEqual([]);
      expect(await validateModule({ bytes: fixture(name), entrypoints: [] }), name).toEqual([]);
    }
    expect(checkModuleLimits(manyFunctions(MODULE_LIMITS.functions))).toEqual([]);
  });
});

describe("run time: every table's maximum is capped", () => {
  it("table.grow past the cap fails in the guest (-1) instead of growing the host's heap", async () => {
    const bytes = await watToBinary(`(module
      (table $t 0 funcref)
      (memory (export "memory") 1)
      (func (export "grow") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0))))`);
    const grow = (m: WebAssembly.Module, n: number) => (new WebAssembly.Instance(m, {}).exports.grow as (n: number) => number)(n);
    // As published (no maximum), the table grows as far as the guest asks.
    expect(grow(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), MODULE_LIMITS.tableElements + 1)).toBe(0);
    // What the gateway compiles (prepareModule: also the memory as an import, here none to give).
    const capped = new WebAssembly.Module(capTables(bytes)!);
    expect(grow(capped, MODULE_LIMITS.tableElements + 1)).toBe(-1);
    expect(grow(capped, MODULE_LIMITS.tableElements)).toBe(0);
    expect(capTables(fixture("hello-wat"))).toBeNull();
  });
});

describe("the gateway compiles off its main thread, under a deadline", () => {
  let pool: WorkerPool | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it("route discovery reads a module's exports without compiling it", async () => {
    const compiles: number[] = [];
    const cache = new ModuleCache({ compile: async (b) => (compiles.push(b.length), compileInWorker(b)) });
    const discover = createExportedRouteDiscovery(undefined as never, cache);
    expect(await discover({ moduleHash: "big", getBytes: async () => manyFunctions(MODULE_LIMITS.functions - 1) })).toEqual([]);
    expect(compiles).toEqual([]);
    expect(exportedFunctionNames(fixture("routes")).has("_routes")).toBe(true);
  });

  it("a compile in a worker that outlasts its deadline is stopped", async () => {
    await expect(compileInWorker(manyFunctions(998_000), { timeoutMs: 20 })).rejects.toBeInstanceOf(ModuleCompileTimeout);
    const hello = await compileInWorker(fixture("hello-wat"));
    expect(WebAssembly.Module.exports(hello).map((e) => e.name)).toContain("_start");
  });

  it("a module small enough to compile without a thread is refused with the compiler's message, as in a worker", async () => {
    const broken = new Uint8Array([...fixture("hello-wat").slice(0, 40), 0xff, 0xff]);
    const big = new Uint8Array(COMPILE_IN_PLACE_MAX_BYTES + 1);
    big.set(broken);
    const inPlace = await compileInWorker(broken).catch((e: unknown) => e);
    const inWorker = await compileInWorker(big).catch((e: unknown) => e);
    expect(inPlace).toBeInstanceOf(WebAssembly.CompileError);
    expect(inWorker).toBeInstanceOf(WebAssembly.CompileError);
  });

  it("a module still compiling at its request's deadline: that request is answered, others run meanwhile, the next is answered without a worker", async () => {
    pool = await WorkerPool.create({ size: 2 });
    const job = (hash: string, bytes: Uint8Array, deadlineMs: number): PoolJob => ({
      moduleHash: hash,
      getModule: async () => prepareModule(bytes),
      getBytes: async () => bytes,
      deadlineMs,
      input: {
        request: { method: "GET", url: "http://x/", headers: [], body: new Uint8Array(), remoteAddr: "", route: "/...", scriptName: "" },
        entrypoint: "_start",
        env: {},
        maxResponseBytes: 1 << 20,
      },
    });
    const hello = fixture("hello-wat");
    await Promise.all([pool.run(job("hello", hello, 5000)), pool.run(job("hello", hello, 5000))]);
    const huge = manyFunctions(999_000);
    const first = pool.run(job("huge", huge, 50));
    const others = await Promise.all(Array.from({ length: 10 }, () => pool!.run(job("hello", hello, 5000))));
    expect(others.map((o) => o.kind)).toEqual(Array(10).fill("ok"));
    expect(await first).toMatchObject({ kind: "timeout", loading: true });
    const respawns = pool.stats().respawns;
    expect(await pool.run(job("huge", huge, 50))).toEqual({ kind: "timeout", wallMs: 0, loading: true });
    expect(pool.stats().respawns).toBe(respawns);
  });
});
