import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validateModule } from "./validate-module";

const fixture = (name: string) =>
  new Uint8Array(readFileSync(path.resolve(import.meta.dirname, "../../fixtures/wasm", `${name}.wasm`)));

describe("validateModule", async () => {
  it("accepts the hello modules of every toolchain", async () => {
    for (const name of ["hello-c", "hello-rust", "hello-as", "hello-wat", "echo"]) {
      expect(await validateModule({ bytes: fixture(name) }), name).toEqual([]);
    }
  });

  it("lists every import the platform does not offer", async () => {
    const problems = await validateModule({ bytes: fixture("unsupported-import") });
    // sock_accept is part of WASI preview1 (the host answers it with an error code); env.* is not.
    expect(problems).toEqual([
      'The module imports something this platform does not provide: "env.open_socket". ' +
        "Only WASI preview1 (wasi_snapshot_preview1) and the wasmcompute host functions (docs/abi.md) are available: " +
        "build for wasm32-wasi (wasm32-wasip1) and leave out what needs these imports.",
    ]);
  });

  it("explains once and lists them all when there are several", async () => {
    const { default: wabt } = await import("wabt");
    const w = await wabt();
    const bytes = w
      .parseWat("m.wat", '(module (import "env" "a" (func)) (import "env" "b" (func)) (import "wasi_unstable" "fd_write" (func)) (memory (export "memory") 1) (func (export "_start")))')
      .toBinary({}).buffer;
    const problems = await validateModule({ bytes });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^The module imports 3 things this platform does not provide: "env\.a", "env\.b", "wasi_unstable\.fd_write"\. Only WASI/);
    expect(problems[0]!.match(/does not provide/g)).toHaveLength(1);
  });

  it("checks the entrypoints the routes will call", async () => {
    expect((await validateModule({ bytes: fixture("entrypoint") }))[0]).toMatch(/no function named "_start" \(it exports: handle\)/);
    expect(await validateModule({ bytes: fixture("entrypoint"), entrypoints: ["handle"] })).toEqual([]);
  });

  it("explains files that are not modules", async () => {
    expect((await validateModule({ bytes: new TextEncoder().encode("(module)") }))[0]).toMatch(/WAT/);
    expect((await validateModule({ bytes: new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]) }))[0]).toMatch(/component/);
    expect((await validateModule({ bytes: new Uint8Array([1, 2, 3]) }))[0]).toMatch(/not a valid WebAssembly module/);
  });
});
