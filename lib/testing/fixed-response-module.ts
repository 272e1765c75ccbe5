// Test-only: a WAGI module that answers with fixed CGI output, one exported function per output
// (`_start` and any other entry points a route can name), for tests that need exact response
// headers from a guest (a Service-Worker-Allowed header, a script served as JavaScript).
import { watStrings } from "../templates/wat-strings";
import { watToBinary } from "../wasm/test-support/compile-wat";

/** `outputs`: entry point name → the whole CGI output (headers, blank line, body). */
export async function fixedResponseModule(outputs: Record<string, string>): Promise<Uint8Array> {
  const names = Object.keys(outputs);
  const s = watStrings(64, Object.fromEntries(names.map((name, i) => [`out${i}`, outputs[name]!])));
  const source = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") ${Math.max(1, Math.ceil(s.end / 65536))})
${s.data}
  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
${names.map((name, i) => `  (func (export "${name}") (call $write ${s.ref(`out${i}`)}))`).join("\n")}
)
`;
  return watToBinary(source);
}
