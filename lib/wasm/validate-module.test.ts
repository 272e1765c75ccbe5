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
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/"env\.open_socket"/);
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
