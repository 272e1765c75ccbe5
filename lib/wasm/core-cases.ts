// Host behaviours checked identically in Node (vitest) and in Chromium (the
// e2e/wasm-host Playwright run): each case is WAT source plus a function that
// runs the compiled module and returns a JSON-able summary, and the summary
// it must produce. WAT is compiled by the caller (wabt in Node), so this file
// needs nothing but lib/wasm.
import { KV_STATUS, type KvHost } from "./wasmcompute-imports";
import { MemFs } from "./mem-fs";
import { runWagi } from "./run-wagi";
import { runWasi } from "./run-wasi";
import type { WagiRequest } from "./wagi-environment";

export interface CoreCase {
  name: string;
  wat: string;
  run(module: WebAssembly.Module): unknown;
  expected: unknown;
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** A test module: common imports, then the case's imports, memory, helpers and body. */
function wat(parts: { imports?: string; memory?: string; body: string }): string {
  return `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  ${parts.imports ?? ""}
  (memory (export "memory") ${parts.memory ?? "1"})
  ${HELPERS}
  ${parts.body})`;
}

/** fd_write-based helpers shared by the test modules; scratch iovec at 0..16. */
const HELPERS = `
  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))
  (data (i32.const 1024) "content-type: text/plain\\n\\n")
  (func $header (call $write (i32.const 1) (i32.const 1024) (i32.const 26)))
`;

function request(overrides: Partial<WagiRequest> = {}): WagiRequest {
  return {
    method: "GET",
    url: "http://app.test/",
    headers: [["host", "app.test"]],
    body: new Uint8Array(0),
    remoteAddr: "203.0.113.9",
    route: "/...",
    ...overrides,
  };
}

/** A plain in-memory KvHost for the kv case. */
function memoryKv(): KvHost & { data: Map<string, Uint8Array> } {
  const data = new Map<string, Uint8Array>();
  return {
    data,
    get: (k) => data.get(k),
    set: (k, v) => void data.set(k, v),
    delete: (k) => data.delete(k),
    list: (p) => [...data.keys()].filter((k) => k.startsWith(p)),
  };
}

export const CORE_CASES: CoreCase[] = [
  {
    name: "wagi hello: CGI headers and body",
    wat: wat({ memory: "1", body: `
      (data (i32.const 2048) "hello world")
      (func (export "_start") (call $header) (call $write (i32.const 1) (i32.const 2048) (i32.const 11)))` }),
    run: (module) => {
      const r = runWagi({ module, request: request() });
      return { status: r.status, headers: r.headers, body: text(r.body), error: r.error ?? null };
    },
    expected: { status: 200, headers: [["content-type", "text/plain"]], body: "hello world", error: null },
  },
  {
    name: "fresh state per run: a global counter is 1 every time",
    wat: wat({ memory: "1", body: `
      (global $count (mut i32) (i32.const 0))
      (func (export "_start")
        (global.set $count (i32.add (global.get $count) (i32.const 1)))
        (i32.store8 (i32.const 2048) (i32.add (i32.const 48) (global.get $count)))
        (call $header) (call $write (i32.const 1) (i32.const 2048) (i32.const 1)))` }),
    run: (module) => [1, 2, 3].map(() => text(runWagi({ module, request: request() }).body)),
    expected: ["1", "1", "1"],
  },
  {
    name: "stdin carries the request body",
    wat: wat({ memory: "2", body: `
      (func (export "_start") (local $total i32) (local $n i32)
        ;; read until EOF into 4096.., 1000 bytes per call
        (block $done (loop $more
          (i32.store (i32.const 16) (i32.add (i32.const 4096) (local.get $total)))
          (i32.store (i32.const 20) (i32.const 1000))
          (drop (call $fd_read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 24)))
          (local.set $n (i32.load (i32.const 24)))
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $total (i32.add (local.get $total) (local.get $n)))
          (br $more)))
        (call $header) (call $write (i32.const 1) (i32.const 4096) (local.get $total)))` }),
    run: (module) => {
      const body = new TextEncoder().encode("x".repeat(2500) + "|end");
      const r = runWagi({ module, request: request({ method: "POST", body }) });
      return { status: r.status, length: r.body.length, tail: text(r.body.subarray(-4)) };
    },
    expected: { status: 200, length: 2504, tail: "|end" },
  },
  {
    name: "argv from the query string and env from the request",
    wat: wat({ memory: "1", imports: `      (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))`, body: `
      (func (export "_start")
        (drop (call $args_sizes_get (i32.const 32) (i32.const 36)))
        (drop (call $args_get (i32.const 4096) (i32.const 8192)))
        (drop (call $environ_sizes_get (i32.const 40) (i32.const 44)))
        (drop (call $environ_get (i32.const 4096) (i32.const 16384)))
        (call $header)
        (call $write (i32.const 1) (i32.const 8192) (i32.load (i32.const 36)))
        (call $write (i32.const 1) (i32.const 3000) (i32.const 1))
        (call $write (i32.const 1) (i32.const 16384) (i32.load (i32.const 44))))
      (data (i32.const 3000) "|")` }),
    run: (module) => {
      const r = runWagi({
        module,
        env: { APP_MODE: "test", QUERY_STRING: "app value loses" },
        request: request({ url: "http://app.test/api/items?greet=matt&name=a%20b+c", route: "/api/..." }),
      });
      const [args = "", env = ""] = text(r.body).split("\0|");
      const vars = Object.fromEntries(env.split("\0").filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
      return {
        argv: args.split("\0"),
        APP_MODE: vars.APP_MODE, QUERY_STRING: vars.QUERY_STRING, PATH_INFO: vars.PATH_INFO,
        SCRIPT_NAME: vars.SCRIPT_NAME, X_MATCHED_ROUTE: vars.X_MATCHED_ROUTE,
      };
    },
    expected: {
      argv: ["/api/items", "greet=matt", "name=a b c"],
      APP_MODE: "test", QUERY_STRING: "greet=matt&name=a%20b+c", PATH_INFO: "/items",
      SCRIPT_NAME: "/api", X_MATCHED_ROUTE: "/api/...",
    },
  },
  {
    name: "memory.grow beyond the maximum makes the guest abort: a trap, not a host crash",
    wat: wat({ memory: "1 2", body: `
      (func (export "_start")
        (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1)) (then unreachable))
        (if (i32.eq (memory.grow (i32.const 4)) (i32.const -1)) (then unreachable))
        (call $header))` }),
    run: (module) => {
      const r = runWasi({ module });
      return { exitCode: r.exitCode, kind: r.error?.kind, memoryBytes: r.memoryBytes, wagi: runWagi({ module, request: request() }).error?.kind };
    },
    expected: { exitCode: 1, kind: "trap", memoryBytes: 2 * 65536, wagi: "trap" },
  },
  {
    name: "proc_exit without output is an error; with output the response stands",
    wat: wat({ memory: "1", body: `
      (func (export "_start") (call $proc_exit (i32.const 3)))
      (func (export "with_output") (call $header) (call $proc_exit (i32.const 4)))` }),
    run: (module) => {
      const silent = runWagi({ module, request: request() });
      const loud = runWagi({ module, request: request(), entrypoint: "with_output" });
      return [silent.status, silent.exitCode, silent.error?.kind, loud.status, loud.exitCode, loud.error?.kind ?? null];
    },
    expected: [500, 3, "bad-cgi", 200, 4, null],
  },
  {
    name: "stdout cap stops a runaway guest",
    wat: wat({ memory: "1", body: `
      (func (export "_start") (loop $forever (call $header) (br $forever)))` }),
    run: (module) => {
      const r = runWagi({ module, request: request(), maxResponseBytes: 1000 });
      return { status: r.status, kind: r.error?.kind };
    },
    expected: { status: 500, kind: "output-too-large" },
  },
  {
    name: "a reactor's _initialize runs before a custom entrypoint",
    wat: wat({ memory: "1", body: `
      (global $ready (mut i32) (i32.const 0))
      (data (i32.const 2048) "not initialized")
      (data (i32.const 2064) "ready")
      (func (export "_initialize") (global.set $ready (i32.const 1)))
      (func (export "handler")
        (call $header)
        (if (global.get $ready)
          (then (call $write (i32.const 1) (i32.const 2064) (i32.const 5)))
          (else (call $write (i32.const 1) (i32.const 2048) (i32.const 15)))))` }),
    run: (module) => text(runWagi({ module, request: request(), entrypoint: "handler" }).body),
    expected: "ready",
  },
  {
    name: "missing entrypoint and unsatisfiable imports are reported, not thrown",
    wat: `(module (import "env" "nope" (func)) (memory (export "memory") 1))`,
    run: (module) => [runWasi({ module }).error?.kind, runWasi({ module, extraImports: { env: { nope: () => {} } } }).error?.kind],
    expected: ["instantiate", "missing-entrypoint"],
  },
  {
    name: "wasmcompute kv_* through HostCallbacks, UNAVAILABLE without a store",
    wat: wat({ memory: "1", imports: `      (import "wasmcompute" "kv_set" (func $kv_set (param i32 i32 i32 i32) (result i32)))
      (import "wasmcompute" "kv_get" (func $kv_get (param i32 i32 i32 i32) (result i32)))
      (import "wasmcompute" "log" (func $log (param i32 i32 i32)))`, body: `
      (data (i32.const 2048) "greeting")
      (data (i32.const 2064) "hi there")
      (func (export "_start") (local $n i32)
        (drop (call $kv_set (i32.const 2048) (i32.const 8) (i32.const 2064) (i32.const 8)))
        (local.set $n (call $kv_get (i32.const 2048) (i32.const 8) (i32.const 4096) (i32.const 100)))
        (call $log (i32.const 1) (i32.const 2048) (i32.const 8))
        (call $header)
        (if (i32.lt_s (local.get $n) (i32.const 0))
          (then (i32.store8 (i32.const 4096) (i32.sub (i32.const 48) (local.get $n)))
                (call $write (i32.const 1) (i32.const 4096) (i32.const 1)))
          (else (call $write (i32.const 1) (i32.const 4096) (local.get $n)))))` }),
    run: (module) => {
      const kv = memoryKv();
      const logs: string[] = [];
      const withStore = runWagi({ module, request: request(), host: { kv, log: (l, m) => logs.push(`${l}:${m}`) } });
      const without = runWagi({ module, request: request() });
      return { withStore: text(withStore.body), stored: text(kv.data.get("greeting") ?? new Uint8Array()), logs, without: text(without.body) };
    },
    expected: { withStore: "hi there", stored: "hi there", logs: ["info:greeting"], without: String(-KV_STATUS.UNAVAILABLE) },
  },
  {
    name: "runs reuse host objects but see nothing of earlier or enclosing runs",
    wat: wat({ memory: "1", imports: `      (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_prestat_get" (func $fd_prestat_get (param i32 i32) (result i32)))
      (import "wasmcompute" "kv_get" (func $kv_get (param i32 i32 i32 i32) (result i32)))
      (import "wasmcompute" "log" (func $log (param i32 i32 i32)))`, body: `
      (data (i32.const 2048) "key")
      (data (i32.const 3000) "|")
      (func (export "_start") (local $n i32)
        (i32.store (i32.const 16) (i32.const 4096))
        (i32.store (i32.const 20) (i32.const 1000))
        (drop (call $fd_read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 24)))
        (drop (call $environ_sizes_get (i32.const 40) (i32.const 44)))
        (drop (call $environ_get (i32.const 8192) (i32.const 12288)))
        ;; errno of fd_prestat_get(3) as a digit, then the kv_get result + 2 as a digit
        (i32.store8 (i32.const 3004) (i32.add (i32.const 48) (call $fd_prestat_get (i32.const 3) (i32.const 48))))
        (i32.store8 (i32.const 3005) (i32.add (i32.const 50) (call $kv_get (i32.const 2048) (i32.const 3) (i32.const 5000) (i32.const 10))))
        (call $log (i32.const 1) (i32.const 2048) (i32.const 3))
        (call $header)
        (call $write (i32.const 1) (i32.const 4096) (i32.load (i32.const 24)))
        (call $write (i32.const 1) (i32.const 3000) (i32.const 1))
        (call $write (i32.const 1) (i32.const 3004) (i32.const 2))
        (call $write (i32.const 1) (i32.const 3000) (i32.const 1))
        (call $write (i32.const 1) (i32.const 12288) (i32.load (i32.const 44)))
        (call $write (i32.const 2) (i32.const 4096) (i32.load (i32.const 24))))` }),
    run: (module) => {
      const summary = (r: ReturnType<typeof runWagi>) => {
        const [stdin, codes, env = ""] = text(r.body).split("|");
        return { stdin, codes, secret: env.includes("APP_SECRET"), stderr: r.stderr };
      };
      const kv = memoryKv();
      kv.set("key", new TextEncoder().encode("v"));
      let nested: ReturnType<typeof summary> | undefined;
      // The log callback runs another guest while the first is still running.
      const host = { kv, log: () => void (nested ??= summary(runWagi({ module, request: request() }))) };
      const first = summary(runWagi({
        module, host, env: { APP_SECRET: "s" }, files: MemFs.fromEntries({ "a.txt": "a" }),
        request: request({ method: "POST", body: new TextEncoder().encode("secret body") }),
      }));
      const second = summary(runWagi({ module, request: request() }));
      return { first, nested, second };
    },
    expected: {
      // "0": fd 3 is the /app preopen, "8": EBADF; "3": a 1-byte value, "0": KV UNAVAILABLE (-2).
      first: { stdin: "secret body", codes: "03", secret: true, stderr: "secret body" },
      nested: { stdin: "", codes: "80", secret: false, stderr: "" },
      second: { stdin: "", codes: "80", secret: false, stderr: "" },
    },
  },
  {
    name: "the log budget keeps the start of stderr and counts the rest in a last line",
    wat: wat({ memory: "1", body: `
      (data (i32.const 2048) "0123456789")
      (func (export "_start") (local $i i32)
        (loop $more
          (call $write (i32.const 2) (i32.const 2048) (i32.const 10))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $more (i32.lt_u (local.get $i) (i32.const 10))))
        (call $header))` }),
    run: (module) => {
      const logs: string[] = [];
      const capped = runWagi({ module, request: request(), logLimits: { bytes: 25 }, host: { log: (l, m) => logs.push(`${l}:${m}`) } });
      return { status: capped.status, stderr: capped.stderr, logs, uncapped: runWagi({ module, request: request() }).stderr.length };
    },
    expected: {
      status: 200,
      stderr: "0123456789012345678901234",
      logs: ["warn:[75 more bytes of stderr and log output dropped: a request keeps 200 lines of 8192 characters, 25 bytes in all]"],
      uncapped: 100,
    },
  },
  {
    name: "the log budget: stderr and the log import share its bytes and lines (stderr first), long lines are cut, a last line says what was dropped",
    wat: wat({ memory: "1", imports: `      (import "wasmcompute" "log" (func $log (param i32 i32 i32)))`, body: `
      (data (i32.const 2048) "err line\\nanother stderr line that is long\\n")
      (data (i32.const 3072) "a log line")
      (func (export "_start") (local $i i32)
        (call $write (i32.const 2) (i32.const 2048) (i32.const 42))
        (loop $more
          (call $log (i32.const 2) (i32.const 3072) (i32.const 10))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $more (i32.lt_u (local.get $i) (i32.const 5))))
        (call $header))` }),
    run: (module) => {
      const logs: string[] = [];
      const host = { log: (l: string, m: string) => void logs.push(`${l}:${m}`) };
      const lines = runWagi({ module, request: request(), logLimits: { lines: 4, lineChars: 30 }, host });
      const bytes: string[] = [];
      const tight = runWagi({ module, request: request(), logLimits: { bytes: 62 }, host: { log: (l, m) => void bytes.push(`${l}:${m}`) } });
      return { stderr: lines.stderr, logs, bytes: { stderr: tight.stderr, logs: bytes } };
    },
    expected: {
      // 4 lines, the last one the note: 2 of stderr (the long one cut), 1 of the log, 4 log lines dropped.
      stderr: "err line\nanother … (24 more characters)\n",
      logs: ["warn:a log line", "warn:[4 more lines and 40 more bytes of stderr and log output dropped, 1 long line cut: a request keeps 4 lines of 30 characters, 1048576 bytes in all]"],
      // 42 bytes of stderr, then two log lines of 10 bytes: the budget of 62 is spent, 3 calls dropped.
      bytes: {
        stderr: "err line\nanother stderr line that is long\n",
        logs: ["warn:a log line", "warn:a log line", "warn:[3 more lines and 30 more bytes of stderr and log output dropped: a request keeps 200 lines of 8192 characters, 62 bytes in all]"],
      },
    },
  },
  {
    name: "the log budget: 20 log calls of 1 MiB keep 20 lines of 8192 characters, never 20 MiB",
    wat: wat({ memory: "17", imports: `      (import "wasmcompute" "log" (func $log (param i32 i32 i32)))`, body: `
      (func (export "_start") (local $i i32)
        (memory.fill (i32.const 65536) (i32.const 120) (i32.const 1048576))
        (loop $more
          (call $log (i32.const 1) (i32.const 65536) (i32.const 1048576))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $more (i32.lt_u (local.get $i) (i32.const 20))))
        (call $header))` }),
    run: (module) => {
      const logs: { level: string; message: string }[] = [];
      const r = runWagi({ module, request: request(), host: { log: (level, message) => void logs.push({ level, message }) } });
      return {
        status: r.status,
        lines: logs.length,
        chars: logs.reduce((n, l) => n + l.message.length, 0),
        first: logs[0]!.message.slice(-24),
        last: logs.at(-1),
      };
    },
    expected: {
      status: 200,
      lines: 21,
      // 20 lines of 8192 characters (each cut, saying so) and the note: 160 KiB, not 20 MiB.
      chars: 20 * 8192 + 141,
      first: " (24601 more characters)",
      last: {
        level: "warn",
        message: "[20316160 more bytes of stderr and log output dropped, 20 long lines cut: a request keeps 200 lines of 8192 characters, 1048576 bytes in all]",
      },
    },
  },
  {
    name: "/app files are readable and read-only",
    wat: wat({ memory: "1", imports: `      (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))`, body: `
      (data (i32.const 2048) "index.html")
      (func (export "_start") (local $err i32)
        ;; read-only open of /app/index.html (fd 3 is the /app preopen)
        (drop (call $path_open (i32.const 3) (i32.const 0) (i32.const 2048) (i32.const 10) (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 40)))
        (i32.store (i32.const 16) (i32.const 4096))
        (i32.store (i32.const 20) (i32.const 1000))
        (drop (call $fd_read (i32.load (i32.const 40)) (i32.const 16) (i32.const 1) (i32.const 24)))
        ;; a write open must fail with EROFS (69)
        (local.set $err (call $path_open (i32.const 3) (i32.const 0) (i32.const 2048) (i32.const 10) (i32.const 0) (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 44)))
        (call $header)
        (call $write (i32.const 1) (i32.const 4096) (i32.load (i32.const 24)))
        (i32.store8 (i32.const 3000) (local.get $err))
        (call $write (i32.const 1) (i32.const 3000) (i32.const 1)))` }),
    run: (module) => {
      const files = MemFs.fromEntries({ "index.html": "<h1>hi</h1>" });
      const r = runWagi({ module, request: request(), files });
      const body = r.body;
      return { html: text(body.subarray(0, -1)), writeErrno: body[body.length - 1], unchanged: text(files.readFile("index.html") ?? new Uint8Array()) };
    },
    expected: { html: "<h1>hi</h1>", writeErrno: 69, unchanged: "<h1>hi</h1>" },
  },
];
