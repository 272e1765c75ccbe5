import { describe, expect, it } from "vitest";
import { checkImports } from "./check-imports";
import { matchWagiRoute, parseWagiRoutes, readWagiRoutes } from "./wagi-routes";
import { compileWat } from "./test-support/compile-wat";

describe("_routes", () => {
  it("parses \"path entrypoint\" lines and marks wildcards", () => {
    expect(parseWagiRoutes("/hello hello\n\n  /goodbye/...   goodbye \n/main _start\n")).toEqual([
      { path: "/hello", entrypoint: "hello", wildcard: false },
      { path: "/goodbye/...", entrypoint: "goodbye", wildcard: true },
      { path: "/main", entrypoint: "_start", wildcard: false },
    ]);
    expect(() => parseWagiRoutes("/ok ok\nbroken\n")).toThrow(/line 2/);
  });

  it("matches with WAGI's last-match-wins rule", () => {
    const routes = parseWagiRoutes("/one/... one\n/one/two/... two\n/one/two/three/... three");
    expect(matchWagiRoute(routes, "/one/two/three/four")?.entrypoint).toBe("three");
    const reversed = parseWagiRoutes("/one/two/three/... three\n/one/two/... two\n/one/... one");
    expect(matchWagiRoute(reversed, "/one/two/three/four")?.entrypoint).toBe("one");
    expect(matchWagiRoute(routes, "/other")).toBeUndefined();
  });

  it("runs a module's _routes export", async () => {
    const module = await compileWat(`(module
      (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 100) "/hello hello\\n/all/... _start\\n")
      (func (export "_start"))
      (func (export "_routes")
        (i32.store (i32.const 0) (i32.const 100)) (i32.store (i32.const 4) (i32.const 29))
        (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`);
    expect(readWagiRoutes(module).map((r) => r.path)).toEqual(["/hello", "/all/..."]);
    expect(readWagiRoutes(await compileWat(`(module (func (export "_start")))`))).toEqual([]);
  });
});

describe("checkImports", () => {
  it("lists the imports we do not offer", async () => {
    const module = await compileWat(`(module
      (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "sock_accept" (func (param i32 i32 i32) (result i32)))
      (import "wasmcompute" "kv_get" (func (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "no_such_call" (func))
      (import "wasi_unstable" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
      (import "env" "memory" (memory 1)))`);
    expect(checkImports(module).unsupported).toEqual([
      "wasi_snapshot_preview1.no_such_call",
      "wasi_unstable.fd_write",
      "env.memory (memory)",
    ]);
  });
});
