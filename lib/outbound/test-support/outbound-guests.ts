// Test-only WAT guests that call out over HTTP. Both read their request body as "<n> <url>":
// they POST that same body to <url> n times (closing each response), and answer for the last:
//   200 "ok <status> <content-type or -> <body>"   or   502 "error <code> <message>".

/** wasmcompute's http_* imports; <code> is the negative HTTP_STATUS as a digit, <message> http_error's text. */
export const WASMCOMPUTE_FETCHER_WAT = `
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasmcompute" "http_request" (func $request (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasmcompute" "http_status" (func $status (param i32) (result i32)))
  (import "wasmcompute" "http_headers" (func $headers (param i32 i32 i32) (result i32)))
  (import "wasmcompute" "http_body" (func $body (param i32 i32 i32) (result i32)))
  (import "wasmcompute" "http_close" (func $close (param i32) (result i32)))
  (import "wasmcompute" "http_error" (func $error (param i32 i32) (result i32)))
  (memory (export "memory") 4)
  (data (i32.const 16) "POST")
  (data (i32.const 32) "Content-Type: text/plain\\n\\nok ")
  (data (i32.const 96) "Status: 502\\nContent-Type: text/plain\\n\\nerror ")
  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start") (local $n i32) (local $times i32) (local $h i32) (local $s i32) (local $len i32)
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (i32.const 8192))
    (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
    (local.set $n (i32.load (i32.const 8)))
    (local.set $times (i32.sub (i32.load8_u (i32.const 1024)) (i32.const 48)))
    (block $done
      (loop $again
        (local.set $h (call $request (i32.const 16) (i32.const 4) (i32.const 1026) (i32.sub (local.get $n) (i32.const 2))
          (i32.const 0) (i32.const 0) (i32.const 1024) (local.get $n)))
        (local.set $times (i32.sub (local.get $times) (i32.const 1)))
        (br_if $done (i32.le_s (local.get $h) (i32.const 0)))
        (br_if $done (i32.le_s (local.get $times) (i32.const 0)))
        (drop (call $close (local.get $h)))
        (br $again)))
    (if (i32.le_s (local.get $h) (i32.const 0))
      (then
        (call $write (i32.const 96) (i32.const 44))
        (i32.store8 (i32.const 200) (i32.sub (i32.const 48) (local.get $h)))
        (i32.store8 (i32.const 201) (i32.const 32))
        (call $write (i32.const 200) (i32.const 2))
        (call $write (i32.const 16384) (call $error (i32.const 16384) (i32.const 8192)))
        (return)))
    (call $write (i32.const 32) (i32.const 29))
    (local.set $s (call $status (local.get $h)))
    (i32.store8 (i32.const 300) (i32.add (i32.const 48) (i32.div_u (local.get $s) (i32.const 100))))
    (i32.store8 (i32.const 301) (i32.add (i32.const 48) (i32.rem_u (i32.div_u (local.get $s) (i32.const 10)) (i32.const 10))))
    (i32.store8 (i32.const 302) (i32.add (i32.const 48) (i32.rem_u (local.get $s) (i32.const 10))))
    (i32.store8 (i32.const 303) (i32.const 32))
    (call $write (i32.const 300) (i32.const 4))
    (local.set $len (call $headers (local.get $h) (i32.const 16384) (i32.const 8192)))
    (call $write (i32.const 16384) (local.get $len))
    (local.set $len (call $body (local.get $h) (i32.const 65536) (i32.const 131072)))
    (call $write (i32.const 65536) (local.get $len))))
`;

/**
 * WAGI's wasi_experimental_http imports, called the way the wasi-experimental-http crate calls them:
 * req, header_get("content-type"), body_read until 0, close. An error answers "error <errno>".
 */
export const WASI_HTTP_FETCHER_WAT = `
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_experimental_http" "req" (func $req (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_experimental_http" "header_get" (func $header_get (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_experimental_http" "body_read" (func $body_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_experimental_http" "close" (func $close (param i32) (result i32)))
  (memory (export "memory") 4)
  (data (i32.const 16) "POST")
  (data (i32.const 24) "content-type")
  (data (i32.const 40) "x-guest:wagi\\n")
  (data (i32.const 64) "Content-Type: text/plain\\n\\nok ")
  (data (i32.const 128) "Status: 502\\nContent-Type: text/plain\\n\\nerror ")
  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start") (local $n i32) (local $e i32) (local $h i32) (local $s i32) (local $read i32)
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (i32.const 8192))
    (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
    (local.set $n (i32.load (i32.const 8)))
    ;; req(url, method, headers, body, status_code_ptr=400 (u16), handle_ptr=404 (u32))
    (local.set $e (call $req (i32.const 1026) (i32.sub (local.get $n) (i32.const 2)) (i32.const 16) (i32.const 4)
      (i32.const 40) (i32.const 13) (i32.const 1024) (local.get $n) (i32.const 400) (i32.const 404)))
    (if (i32.ne (local.get $e) (i32.const 0))
      (then
        (call $write (i32.const 128) (i32.const 44))
        (i32.store8 (i32.const 200) (i32.add (i32.const 48) (i32.div_u (local.get $e) (i32.const 10))))
        (i32.store8 (i32.const 201) (i32.add (i32.const 48) (i32.rem_u (local.get $e) (i32.const 10))))
        (call $write (i32.const 200) (i32.const 2))
        (return)))
    (local.set $h (i32.load (i32.const 404)))
    (local.set $s (i32.load16_u (i32.const 400)))
    (call $write (i32.const 64) (i32.const 29))
    (i32.store8 (i32.const 300) (i32.add (i32.const 48) (i32.div_u (local.get $s) (i32.const 100))))
    (i32.store8 (i32.const 301) (i32.add (i32.const 48) (i32.rem_u (i32.div_u (local.get $s) (i32.const 10)) (i32.const 10))))
    (i32.store8 (i32.const 302) (i32.add (i32.const 48) (i32.rem_u (local.get $s) (i32.const 10))))
    (i32.store8 (i32.const 303) (i32.const 32))
    (call $write (i32.const 300) (i32.const 4))
    (if (i32.eqz (call $header_get (local.get $h) (i32.const 24) (i32.const 12) (i32.const 16384) (i32.const 4096) (i32.const 408)))
      (then (call $write (i32.const 16384) (i32.load (i32.const 408)))))
    (call $write (i32.const 303) (i32.const 1))
    (block $end
      (loop $more
        (drop (call $body_read (local.get $h) (i32.const 65536) (i32.const 7) (i32.const 412)))
        (local.set $read (i32.load (i32.const 412)))
        (br_if $end (i32.eqz (local.get $read)))
        (call $write (i32.const 65536) (local.get $read))
        (br $more)))
    (drop (call $close (local.get $h)))))
`;

/** A neighbour that answers at once. */
export const HELLO_WAT = `
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "Content-Type: text/plain\\n\\nneighbour ok\\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 39))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
`;
