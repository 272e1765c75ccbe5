// One HTTP request through a WAGI module: request → env/argv/stdin, a fresh
// instance via runWasi, stdout → CGI response. Nothing is shared between
// requests except the compiled module and the read-only /app files.
import { CgiError, parseCgiResponse } from "./cgi-response";
import type { GuestError } from "./guest-error";
import type { MemFs } from "./mem-fs";
import { runWasi } from "./run-wasi";
import { wagiArgs, wagiEnvironment, type WagiRequest } from "./wagi-environment";
import { wasmcomputeImports, type HostCallbacks } from "./wasmcompute-imports";

/** Guest path where WagiRunOptions.files are mounted (read-only). */
export const APP_FILES_PATH = "/app";

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
}

export interface WagiResponse {
  /** 500 whenever `error` is set. */
  status: number;
  headers: [string, string][];
  body: Uint8Array;
  /** What the guest wrote to stderr (for the app's logs), decoded as UTF-8. */
  stderr: string;
  exitCode: number;
  memoryBytes: number;
  error?: GuestError | { kind: "bad-cgi"; message: string };
}

const stderrDecoder = new TextDecoder();

export function runWagi(opts: WagiRunOptions): WagiResponse {
  const url = new URL(opts.request.url);
  const defaultPort = url.protocol === "https:" ? "443" : "80";
  const env = { ...opts.env, ...wagiEnvironment(opts.request, url.hostname, url.port || defaultPort) };
  const run = runWasi({
    module: opts.module,
    args: wagiArgs(opts.request),
    env,
    stdin: opts.request.body,
    preopens: opts.files ? { [APP_FILES_PATH]: opts.files.readOnly ? opts.files : opts.files.withReadOnly(true) } : {},
    ...(opts.entrypoint !== undefined ? { entrypoint: opts.entrypoint } : {}),
    extraImports: (memory) => ({ wasmcompute: wasmcomputeImports(memory, opts.host) }),
    ...(opts.maxResponseBytes !== undefined ? { maxStdoutBytes: opts.maxResponseBytes } : {}),
  });

  const base = { stderr: stderrDecoder.decode(run.stderr), exitCode: run.exitCode, memoryBytes: run.memoryBytes };
  const failed = (error: NonNullable<WagiResponse["error"]>): WagiResponse => ({
    status: 500, headers: [], body: new Uint8Array(0), ...base, error,
  });

  if (run.error) return failed(run.error);
  if (run.exitCode !== 0 && run.stdout.length === 0) {
    return failed({ kind: "bad-cgi", message: `the module exited with code ${run.exitCode} without writing a response` });
  }
  try {
    return { ...parseCgiResponse(run.stdout), ...base };
  } catch (e) {
    if (e instanceof CgiError) return failed({ kind: "bad-cgi", message: e.message });
    throw e;
  }
}
