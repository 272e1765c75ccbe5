// WAGI's `_routes` convention and the import check. Run in Node by wagi-routes.test.ts and in
// Chromium by e2e/wasm-host; see host-cases.ts for the shape.
import { checkImports } from "./check-imports";
import { moduleOf, refusal, type HostCase } from "./host-cases";
import { matchRoute } from "./route-pattern";
import { parseWagiRoutes, readWagiRoutes } from "./wagi-routes";

export const WAGI_ROUTES_CASES: HostCase[] = [
  {
    name: "_routes: parses \"path entrypoint\" lines and marks wildcards",
    run: () => ({
      parsed: parseWagiRoutes("/hello hello\n\n  /goodbye/...   goodbye \n/main _start\n"),
      broken: refusal(() => parseWagiRoutes("/ok ok\nbroken\n"), /line 2/),
    }),
    expected: {
      parsed: [
        { path: "/hello", entrypoint: "hello", wildcard: false },
        { path: "/goodbye/...", entrypoint: "goodbye", wildcard: true },
        { path: "/main", entrypoint: "_start", wildcard: false },
      ],
      broken: { error: "Error", says: "line 2" },
    },
  },
  {
    name: "_routes: matches with WAGI's last-match-wins rule",
    run: () => {
      const routes = parseWagiRoutes("/one/... one\n/one/two/... two\n/one/two/three/... three");
      const reversed = parseWagiRoutes("/one/two/three/... three\n/one/two/... two\n/one/... one");
      return {
        lastWins: matchRoute(routes, "/one/two/three/four")?.route.entrypoint,
        reversed: matchRoute(reversed, "/one/two/three/four")?.route.entrypoint,
        noMatch: matchRoute(routes, "/other") === undefined,
      };
    },
    expected: { lastWins: "three", reversed: "one", noMatch: true },
  },
  {
    name: "_routes: runs a module's _routes export",
    wat: {
      routes: `(module
      (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 100) "/hello hello\\n/all/... _start\\n")
      (func (export "_start"))
      (func (export "_routes")
        (i32.store (i32.const 0) (i32.const 100)) (i32.store (i32.const 4) (i32.const 29))
        (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`,
      plain: `(module (func (export "_start")))`,
    },
    run: (modules) => ({
      paths: readWagiRoutes(moduleOf(modules, "routes")).map((r) => r.path),
      withoutRoutes: readWagiRoutes(moduleOf(modules, "plain")),
    }),
    expected: { paths: ["/hello", "/all/..."], withoutRoutes: [] },
  },
  {
    name: "checkImports lists the imports we do not offer",
    wat: {
      imports: `(module
      (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "sock_accept" (func (param i32 i32 i32) (result i32)))
      (import "wasmcompute" "kv_get" (func (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "no_such_call" (func))
      (import "wasi_unstable" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
      (import "env" "memory" (memory 1)))`,
    },
    run: (modules) => checkImports(moduleOf(modules, "imports")).unsupported,
    expected: ["wasi_snapshot_preview1.no_such_call", "wasi_unstable.fd_write", "env.memory (memory)"],
  },
];
