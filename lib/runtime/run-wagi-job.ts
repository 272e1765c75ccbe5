/**
 * runWagi from lib/wasm, plus one thing it cannot do yet: hand the guest a recycled memory
 * through an extra import (see recycled-memory.ts). It is the same sequence, built from
 * lib/wasm's exported pieces; once runWagi accepts extra imports, call it instead.
 */
import {
  APP_FILES_PATH,
  CgiError,
  parseCgiResponse,
  runWasi,
  wagiArgs,
  wagiEnvironment,
  wasmcomputeImports,
  type WagiResponse,
  type WagiRunOptions,
} from "../wasm";
import { RECYCLED_MEMORY_IMPORT } from "./recycled-memory";

const stderrDecoder = new TextDecoder();

export function runWagiJob(opts: WagiRunOptions & { memory?: WebAssembly.Memory }): WagiResponse {
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
    extraImports: (memory) => ({
      wasmcompute: wasmcomputeImports(memory, opts.host),
      ...(opts.memory ? { [RECYCLED_MEMORY_IMPORT.module]: { [RECYCLED_MEMORY_IMPORT.name]: opts.memory } } : {}),
    }),
    ...(opts.maxResponseBytes !== undefined ? { maxStdoutBytes: opts.maxResponseBytes } : {}),
  });

  const base = { stderr: stderrDecoder.decode(run.stderr), exitCode: run.exitCode, memoryBytes: run.memoryBytes };
  const failed = (error: NonNullable<WagiResponse["error"]>): WagiResponse => ({
    status: 500,
    headers: [],
    body: new Uint8Array(0),
    ...base,
    error,
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
