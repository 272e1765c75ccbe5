// One HTTP request through a WAGI module: request → env/argv/stdin, a fresh
// instance via runWasi, stdout → CGI response. Nothing is shared between
// requests except the compiled module and the read-only /app files.
import { CgiError, parseCgiResponse } from "./cgi-response";
import type { GuestError } from "./guest-error";
import type { GuestMemory } from "./guest-memory";
import { GUEST_LOG_LIMITS, LogBudget, type GuestLogLimits } from "./log-budget";
import type { MemFs } from "./mem-fs";
import type { MemorySnapshot } from "./memory-snapshot";
import { runWasiWith, type RawWasiRun } from "./run-wasi";
import { isConsoleCookie, wagiArgs, wagiEnvironment, type WagiRequest } from "./wagi-environment";
import { WasmcomputeTable, type HostCallbacks, type LogLevel } from "./wasmcompute-imports";
import { WASI_HTTP_MODULE } from "./outbound-http-imports";

/** Guest path where WagiRunOptions.files are mounted (read-only). */
export const APP_FILES_PATH = "/app";

/**
 * Bytes of stderr and log output together that a request keeps (GUEST_LOG_LIMITS.bytes, about
 * what the logs store of one request at most: 200 lines of up to 8 KiB): a guest that writes
 * without end costs the host 1 MiB, not its heap; the rest is counted in a last line and dropped.
 */
export const STDERR_KEPT_BYTES = GUEST_LOG_LIMITS.bytes;

export interface WagiRunOptions {
  module: WebAssembly.Module;
  request: WagiRequest;
  /** Default "_start"; `_routes` entries name other exports. */
  entrypoint?: string;
  /** App environment; WAGI/CGI variables override same-named keys. */
  env?: Record<string, string>;
  /** Static files, preopened read-only at /app. */
  files?: MemFs;
  /**
   * `log` receives the lines of the log import (and of failed key-value calls) once the guest is
   * done, bounded by the request's log budget (`logLimits`), the last one saying what was dropped.
   */
  host?: HostCallbacks;
  /** Cap on stdout (headers + body); beyond it the guest is stopped with "output-too-large". */
  maxResponseBytes?: number;
  /** The log budget stderr and the log import share (default GUEST_LOG_LIMITS, lib/wasm/log-budget.ts). */
  logLimits?: Partial<GuestLogLimits>;
  /**
   * More import modules, e.g. a memory for a module whose memory is imported (the gateway
   * recycles memories this way). `wasi_snapshot_preview1` and `wasmcompute` are always ours.
   */
  extraImports?: WebAssembly.Imports;
  /** Start the instance from this snapshot of the module (lib/wasm/snapshot.ts): taken with the same files. */
  snapshot?: MemorySnapshot;
}

export interface WagiResponse {
  /** 500 whenever `error` is set. */
  status: number;
  headers: [string, string][];
  body: Uint8Array;
  /**
   * What the guest wrote to stderr (for the app's logs): UTF-8, bytes that are not text as `\xHH`
   * (guest-text.ts): all of it, or the lines the log budget kept (each ending with a line feed).
   */
  stderr: string;
  exitCode: number;
  memoryBytes: number;
  /** bad-cgi: a module's output is not a CGI response; no-response: a component set none. */
  error?: GuestError | { kind: "bad-cgi" | "no-response"; message: string };
}

const NO_FILES: Record<string, MemFs> = {};
// One wasmcompute import table per pooled WASI host (its GuestMemory is stable across runs).
const wasmcomputeTables = new WeakMap<GuestMemory, WasmcomputeTable>();

export function runWagi(opts: WagiRunOptions): WagiResponse {
  const url = new URL(opts.request.url);
  const defaultPort = url.protocol === "https:" ? "443" : "80";
  const budget = new LogBudget(opts.logLimits ? { ...GUEST_LOG_LIMITS, ...opts.logLimits } : GUEST_LOG_LIMITS);
  let table: WasmcomputeTable | undefined;
  try {
    return runWasiWith(
      {
        module: opts.module,
        // Made only if the guest reads them: a handler that never does (hello-c) skips building
        // the CGI environment on every request.
        args: () => wagiArgs(opts.request, url),
        env: () => ({ ...opts.env, ...wagiEnvironment(opts.request, url.hostname, url.port || defaultPort, url) }),
        stdin: opts.request.body,
        preopens: opts.files ? { [APP_FILES_PATH]: opts.files.readOnly ? opts.files : opts.files.withReadOnly(true) } : NO_FILES,
        ...(opts.entrypoint !== undefined ? { entrypoint: opts.entrypoint } : {}),
        extraImports: (memory) => {
          table = wasmcomputeTables.get(memory);
          if (!table) wasmcomputeTables.set(memory, (table = new WasmcomputeTable(memory)));
          table.use(opts.host ?? {});
          table.budget = budget;
          return { ...opts.extraImports, wasmcompute: table.imports, [WASI_HTTP_MODULE]: table.wasiHttpImports };
        },
        ...(opts.maxResponseBytes !== undefined ? { maxStdoutBytes: opts.maxResponseBytes } : {}),
        ...(opts.snapshot ? { snapshot: opts.snapshot } : {}),
        stderrBudget: budget,
      },
      (run) => toResponse(run, budget, opts.host),
    );
  } finally {
    table?.clear();
  }
}

function toResponse(run: RawWasiRun, budget: LogBudget, host: HostCallbacks | undefined): WagiResponse {
  const kept = budget.finish(run.stderr.view(), run.stderr.dropped);
  if (host?.log) for (const line of kept.logs) host.log(line.level as LogLevel, line.message);
  const base = { stderr: kept.stderr, exitCode: run.exitCode, memoryBytes: run.memoryBytes };
  const failed = (error: NonNullable<WagiResponse["error"]>): WagiResponse => ({
    status: 500, headers: [], body: new Uint8Array(0), ...base, error,
  });

  if (run.error) return failed(run.error);
  if (run.exitCode !== 0 && run.stdout.length === 0) {
    return failed({ kind: "bad-cgi", message: `the module exited with code ${run.exitCode} without writing a response` });
  }
  try {
    // parseCgiResponse copies the body out of the host's (reused) stdout buffer.
    const response = parseCgiResponse(run.stdout);
    // A guest may not plant or overwrite the console's cookies (cookies ignore ports).
    const planted = (h: [string, string]) => h[0] === "set-cookie" && isConsoleCookie(h[1]);
    if (response.headers.some(planted)) response.headers = response.headers.filter((h) => !planted(h));
    return { ...response, ...base };
  } catch (e) {
    if (e instanceof CgiError) return failed({ kind: "bad-cgi", message: e.message });
    throw e;
  }
}
