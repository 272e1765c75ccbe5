// AssemblyScript's `console` in the editor's builds. The WASI shim's console writes to stdout, which
// is the CGI response: `console.log("x")` before the headers made the gateway answer
// `502 bad-cgi: malformed header`. This replacement writes each call as one line to the app's logs
// through the `wasmcompute.log` host import (docs/abi.md), as the SDK's `log()` does; `console.error`
// and `console.warn` keep their levels. compile-as.ts serves it in place of the shim's wasi_console.ts.
export const AS_CONSOLE_SOURCE = String.raw`// wasmcompute: console.* goes to the app's logs (never into the response).
// @ts-ignore: decorator
@external("wasmcompute", "log")
declare function console_host_log(level: i32, ptr: usize, len: usize): void;

function logLine(level: i32, message: string): void {
  const bytes = String.UTF8.encode(message);
  console_host_log(level, changetype<usize>(bytes), <usize>bytes.byteLength);
}

// @ts-ignore: decorator
@lazy const timers = new Map<string, i64>();

export namespace wasi_console {
  export function assert<T>(condition: T, message: string = ""): void {
    if (!condition) logLine(3, "Assertion failed: " + message);
  }
  export function log(message: string = ""): void {
    logLine(1, message);
  }
  export function debug(message: string = ""): void {
    logLine(0, message);
  }
  export function info(message: string = ""): void {
    logLine(1, message);
  }
  export function warn(message: string = ""): void {
    logLine(2, message);
  }
  export function error(message: string = ""): void {
    logLine(3, message);
  }
  export function time(label: string = "default"): void {
    if (timers.has(label)) {
      logLine(2, "Label '" + label + "' already exists for console.time()");
      return;
    }
    timers.set(label, Date.now());
  }
  export function timeLog(label: string = "default"): void {
    if (!timers.has(label)) {
      logLine(2, "No such label '" + label + "' for console.timeLog()");
      return;
    }
    logLine(1, label + ": " + (Date.now() - timers.get(label)).toString() + "ms");
  }
  export function timeEnd(label: string = "default"): void {
    timeLog(label);
    if (timers.has(label)) timers.delete(label);
  }
}
`;
