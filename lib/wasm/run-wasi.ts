// Run one WASI command module to completion on a fresh instance. Each call gets
// its own memory, globals, fd table and output buffers: nothing leaks between runs.
import { describeThrown, type GuestError } from "./guest-error";
import type { GuestMemory } from "./guest-memory";
import type { MemFs } from "./mem-fs";
import { OutputTooLarge, type OutputSink } from "./output-sink";
import { restoreSnapshot, type MemorySnapshot } from "./memory-snapshot";
import { WasiExit, WasiHost } from "./wasi-host";

export interface WasiRunOptions {
  module: WebAssembly.Module;
  /** argv, argv[0] included by the caller; or a function that makes it, called only if the guest asks. */
  args?: string[] | (() => string[]);
  /** The environment, or a function that makes it, called only if the guest asks. */
  env?: Record<string, string> | (() => Record<string, string>);
  stdin?: Uint8Array;
  /** Guest path (e.g. "/app", "/", "fs-tests.dir") → directory tree. Writable trees are mutated in place. */
  preopens?: Record<string, MemFs>;
  /** Default "_start". */
  entrypoint?: string;
  /**
   * More import modules (e.g. "wasmcompute"), merged with wasi_snapshot_preview1. A function
   * receives the guest memory accessor, for imports that read or write guest memory.
   */
  extraImports?: WebAssembly.Imports | ((memory: GuestMemory) => WebAssembly.Imports);
  /** Stop the guest (error "output-too-large") once stdout exceeds this many bytes. */
  maxStdoutBytes?: number;
  /**
   * Keep at most this many bytes of stderr (default: all). The rest is counted and dropped,
   * and `stderr` ends with a line "[N more bytes of stderr dropped]"; the guest is not stopped.
   */
  maxStderrBytes?: number;
  /** A byte budget stderr shares with other output (the request's log budget, lib/wasm/log-budget.ts). */
  stderrBudget?: { left: number };
  /** Realtime clock in nanoseconds since the epoch (tests inject a fixed one). */
  now?: () => bigint;
  /**
   * Start from this snapshot (lib/wasm/snapshot.ts): its memory is written once the instance is
   * made, before the entrypoint runs. The module must be the one it was taken of.
   */
  snapshot?: MemorySnapshot;
  /** Called once the instance is made, before the entrypoint (snapshot.ts reads it there). */
  afterInstantiate?: (instance: WebAssembly.Instance, memory: WebAssembly.Memory | undefined) => void;
}

export interface WasiRunResult {
  /** proc_exit's code; 0 when the entrypoint returned; 1 when `error` is set. */
  exitCode: number;
  stdout: Uint8Array;
  stderr: Uint8Array;
  /** Final linear memory size in bytes (0 if the module exports no memory). */
  memoryBytes: number;
  error?: GuestError;
}

/** Exit code reported with an `error` (a trap has no exit status of its own). */
export const ERROR_EXIT_CODE = 1;

/** What one run left behind, read before its host is reused (the views are only valid then). */
export interface RawWasiRun {
  exitCode: number;
  /** The guest's stdout, not copied: valid only inside the callback given to runWasiWith. */
  stdout: Uint8Array;
  stderr: OutputSink;
  memoryBytes: number;
  error?: GuestError;
}

// Hosts (each with its import table) kept between runs. A nested run (a host callback that
// runs another guest) takes another host, so runs never share state.
const idleHosts: WasiHost[] = [];
const MAX_IDLE_HOSTS = 4;

/**
 * runWasi without copying the output: `consume` sees the run's output in place and returns
 * what the caller keeps. lib/wasm's own callers (runWagi) use it; runWasi copies.
 */
export function runWasiWith<T>(opts: WasiRunOptions, consume: (run: RawWasiRun) => T): T {
  const host = idleHosts.pop() ?? new WasiHost();
  host.reset(opts);
  try {
    return consume(execute(host, opts));
  } finally {
    host.clear();
    if (idleHosts.length < MAX_IDLE_HOSTS) idleHosts.push(host);
  }
}

export function runWasi(opts: WasiRunOptions): WasiRunResult {
  return runWasiWith(opts, (run) => ({
    exitCode: run.exitCode,
    stdout: run.stdout.slice(),
    stderr: run.stderr.bytes(),
    memoryBytes: run.memoryBytes,
    ...(run.error ? { error: run.error } : {}),
  }));
}

function execute(host: WasiHost, opts: WasiRunOptions): RawWasiRun {
  const extra = typeof opts.extraImports === "function" ? opts.extraImports(host.memory) : opts.extraImports;
  const result = (exitCode: number, memory: WebAssembly.Memory | undefined, error?: GuestError): RawWasiRun => ({
    exitCode,
    stdout: host.stdout.view(),
    stderr: host.stderr,
    memoryBytes: memory ? memory.buffer.byteLength : 0,
    ...(error ? { error } : {}),
  });

  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(opts.module, {
      ...extra,
      wasi_snapshot_preview1: host.imports() as unknown as WebAssembly.ModuleImports,
    });
  } catch (e) {
    if (e instanceof WasiExit) return result(e.code, undefined); // proc_exit from a start function
    return result(ERROR_EXIT_CODE, undefined, { kind: "instantiate", message: describeThrown(e) });
  }

  const memory = instance.exports.memory instanceof WebAssembly.Memory ? instance.exports.memory : undefined;
  if (memory) host.memory.attach(memory);

  try {
    if (opts.snapshot) {
      if (!memory) throw new Error("a snapshot needs the module to export its memory");
      restoreSnapshot(memory, opts.snapshot);
    }
    opts.afterInstantiate?.(instance, memory);
  } catch (e) {
    return result(ERROR_EXIT_CODE, memory, { kind: "instantiate", message: describeThrown(e) });
  }

  const entrypoint = opts.entrypoint ?? "_start";
  const entry = instance.exports[entrypoint];
  if (typeof entry !== "function") {
    return result(ERROR_EXIT_CODE, memory, {
      kind: "missing-entrypoint",
      message: `the module does not export a function named "${entrypoint}"`,
    });
  }

  try {
    // WASI reactors (e.g. a Rust cdylib) must run _initialize before any other export.
    const initialize = instance.exports._initialize;
    if (typeof initialize === "function" && entrypoint !== "_initialize" && entrypoint !== "_start") {
      (initialize as () => unknown)();
    }
    (entry as () => unknown)();
    return result(0, memory);
  } catch (e) {
    if (e instanceof WasiExit) return result(e.code, memory);
    if (e instanceof OutputTooLarge) return result(ERROR_EXIT_CODE, memory, { kind: "output-too-large", message: e.message });
    return result(ERROR_EXIT_CODE, memory, { kind: "trap", message: `guest trapped: ${describeThrown(e)}` });
  }
}
