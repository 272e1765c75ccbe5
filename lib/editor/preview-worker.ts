/// <reference lib="webworker" />
// The live preview's guest runner: lib/wasm's runWagi (the gateway's host) inside a Web Worker, so
// that the page can stop a runaway guest by terminating this worker at the deadline. It also runs
// a module's `_routes` export (readWagiRoutes, the same discovery a gateway does when it first loads a version).
import { MemFs, readWagiRoutes, runWagi } from "@/lib/wasm";
import { memoryKv } from "./preview-kv-host";
import { previewOutboundHost } from "./preview-outbound-host";
import { JS_WORKER_FILE } from "@/lib/javascript/js-app";
import type { CompileModuleJob, CompileModuleResult, PreviewJob, PreviewLogLine, PreviewResult, RoutesJob, RoutesResult } from "./preview-protocol";

declare const self: DedicatedWorkerGlobalScope;

let cached: { key: string; module: WebAssembly.Module } | null = null;

function moduleFor(job: { moduleKey: string; wasm: Uint8Array }): WebAssembly.Module {
  if (cached?.key !== job.moduleKey) cached = { key: job.moduleKey, module: new WebAssembly.Module(job.wasm as Uint8Array<ArrayBuffer>) };
  return cached.module;
}

function discoverRoutes(job: RoutesJob): RoutesResult {
  try {
    return { id: job.id, routes: readWagiRoutes(moduleFor(job)).map((r) => ({ path: r.path, entrypoint: r.entrypoint })) };
  } catch (e) {
    return { id: job.id, routes: [], error: e instanceof Error ? e.message : String(e) };
  }
}

/** Without a route to the console (no app), a call answers "unavailable" and http_error says why. */
const NO_OUTBOUND_HTTP = {
  fetch: (): { ok: false; code: "unavailable"; message: string } => ({
    ok: false,
    code: "unavailable",
    message: "outbound HTTP is not available in this preview: publish the app and call it on the gateway",
  }),
};

function run(job: PreviewJob): PreviewResult {
  const started = performance.now();
  const logs: PreviewLogLine[] = [];
  const kv = job.kv ? memoryKv(job.kv) : null;
  try {
    const files = Object.keys(job.files).length ? MemFs.fromEntries(job.files, { readOnly: true }) : undefined;
    const log = (line: PreviewLogLine) => void logs.push(line);
    const http = job.outbound ? previewOutboundHost({ ...job.outbound, deadline: started + job.deadlineMs, log }) : NO_OUTBOUND_HTTP;
    const res = runWagi({
      module: moduleFor(job),
      request: job.request,
      entrypoint: job.entrypoint,
      env: job.env,
      ...(files ? { files } : {}),
      maxResponseBytes: job.maxResponseBytes,
      host: { log: (level, message) => log({ level, message }), ...(kv ? { kv: kv.host } : {}), http },
    });
    return {
      id: job.id,
      status: res.status,
      headers: res.headers,
      body: res.body,
      stderr: res.stderr,
      logs,
      exitCode: res.exitCode,
      memoryBytes: res.memoryBytes,
      durationMs: performance.now() - started,
      ...(res.error ? { error: { kind: res.error.kind, message: res.error.message } } : {}),
      kv: kv ? kv.snapshot() : null,
    };
  } catch (e) {
    return {
      id: job.id, status: 500, headers: [], body: new Uint8Array(0), stderr: "", logs, exitCode: -1, memoryBytes: 0,
      durationMs: performance.now() - started, error: { kind: "instantiate", message: e instanceof Error ? e.message : String(e) }, kv: job.kv,
    };
  }
}

const WARM_SCRIPT = new TextEncoder().encode('export default { fetch: (r) => new Response(new URL(r.url).pathname, { headers: new Headers({ "x-warm": "1" }) }) };\n');

function compile(job: CompileModuleJob): CompileModuleResult {
  try {
    const module = moduleFor(job);
    if (job.warmJsEngine) {
      const files = MemFs.fromEntries({ [JS_WORKER_FILE]: WARM_SCRIPT }, { readOnly: true });
      runWagi({ module, request: { method: "GET", url: "http://warm.localhost/", headers: [], body: new Uint8Array(0), remoteAddr: "127.0.0.1", route: "/..." }, env: {}, files, host: { log: () => undefined } });
    }
    return { id: job.id };
  } catch (e) {
    return { id: job.id, error: e instanceof Error ? e.message : String(e) };
  }
}

self.onmessage = (event: MessageEvent<PreviewJob | RoutesJob | CompileModuleJob>) => {
  const job = event.data;
  self.postMessage(job.kind === "compile" ? compile(job) : job.kind === "routes" ? discoverRoutes(job) : run(job));
};
