// One HTTP request through a WAGI module: request → env/argv/stdin, a fresh
// instance via runWasi, stdout → CGI response. Nothing is shared between
// requests except the compiled module and the read-only /app files.
import { CgiError, parseCgiResponse } from "./cgi-response";
import type { GuestError } from "./guest-error";
import type { GuestMemory } from "./guest-memory";
import { decodeGuestText } from "./guest-text";
import type { MemFs } from "./mem-fs";
import { runWasiWith, type RawWasiRun } from "./run-wasi";
import { isConsoleCookie, wagiArgs, wagiEnvironment, type WagiRequest } from "./wagi-environment";
import { WasmcomputeTable, type HostCallbacks } from "./wasmcompute-imports";

/** Guest path where WagiRunOptions.files are mounted (read-only). */
export const APP_FILES_PATH = "/app";

/**
 * Stderr a request keeps by default: about what the logs store of one request at most (200 lines
 * of up to 8 KiB each), while a guest that writes without end costs the host 1 MiB, not its heap;
 * the rest is counted in a last line and dropped.
 */
export const STDERR_KEPT_BYTES = 1024 * 1024;

export interface WagiRunOptions {
  module: WebAssembly.Module;
  request: WagiRequest;
  /** Default "_start"; `_routes` entries name other exports. */
  entrypoint?: string;
  /** App environment; WAGI/CGI variables override same-named keys. */
  env?: Record<string, string>;
  /** Static files, preopened read-only at /app. */
  files?: MemFs;
  host?: HostCallbacks;
  /** Cap on stdout (headers + body); beyond it the guest is stopped with "output-too-large". */
  maxResponseBytes?: number;
  /** Keep at most this many bytes of stderr (default STDERR_KEPT_BYTES); see WasiRunOptions.maxStderrBytes. */
  maxStderrBytes?: number;
  /**
   * More import modules, e.g. a memory for a module whose memory is imported (the gateway
   * recycles memories this way). `wasi_snapshot_preview1` and `wasmcompute` are always ours.
   */
  extraImports?: WebAssembly.Imports;
}

export interface WagiResponse {
  /** 500 whenever `error` is set. */
  status: number;
  headers: [string, string][];
  body: Uint8Array;
  /** What the guest wrote to stderr (for the app's logs): UTF-8, bytes that are not text as `\xHH` (guest-text.ts). */
  stderr: string;
  exitCode: number;
  memoryBytes: number;
  error?: GuestError | { kind: "bad-cgi"; message: string };
}

const NO_FILES: Record<string, MemFs> = {};
// One wasmcompute import table per pooled WASI host (its GuestMemory is stable across runs).
const wasmcomputeTables = new WeakMap<GuestMemory, WasmcomputeTable>();

export function runWagi(opts: WagiRunOptions): WagiResponse {
  const url = new URL(opts.request.url);
  const defaultPort = url.protocol === "https:" ? "443" : "80";
  const env = { ...opts.env, ...wagiEnvironment(opts.request, url.hostname, url.port || defaultPort, url) };
  let table: WasmcomputeTable | undefined;
  try {
    return runWasiWith(
      {
        module: opts.module,
        args: wagiArgs(opts.request, url),
        env,
        stdin: opts.request.body,
        preopens: opts.files ? { [APP_FILES_PATH]: opts.files.readOnly ? opts.files : opts.files.withReadOnly(true) } : NO_FILES,
        ...(opts.entrypoint !== undefined ? { entrypoint: opts.entrypoint } : {}),
        extraImports: (memory) => {
          table = wasmcomputeTables.get(memory);
          if (!table) wasmcomputeTables.set(memory, (table = new WasmcomputeTable(memory)));
          table.callbacks = opts.host ?? {};
          return { ...opts.extraImports, wasmcompute: table.imports };
        },
        ...(opts.maxResponseBytes !== undefined ? { maxStdoutBytes: opts.maxResponseBytes } : {}),
        maxStderrBytes: opts.maxStderrBytes ?? STDERR_KEPT_BYTES,
      },
      toResponse,
    );
  } finally {
    table?.clear();
  }
}

function toResponse(run: RawWasiRun): WagiResponse {
  const stderr = decodeGuestText(run.stderr.dropped === 0 ? run.stderr.view() : run.stderr.bytes());
  const base = { stderr, exitCode: run.exitCode, memoryBytes: run.memoryBytes };
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
