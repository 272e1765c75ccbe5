/// <reference lib="webworker" />
// The live preview's guest runner: lib/wasm's runWagi (the gateway's host) inside a Web Worker, so
// that the page can stop a runaway guest by terminating this worker at the deadline.
import { MemFs, runWagi, type KvHost } from "@/lib/wasm";
import type { PreviewJob, PreviewLogLine, PreviewResult } from "./preview-protocol";

declare const self: DedicatedWorkerGlobalScope;

let cached: { key: string; module: WebAssembly.Module } | null = null;

function memoryKv(initial: Record<string, Uint8Array>): { host: KvHost; snapshot(): Record<string, Uint8Array> } {
  const store = new Map(Object.entries(initial));
  return {
    host: {
      get: (k) => store.get(k) ?? null,
      set: (k, v) => void store.set(k, v.slice()),
      delete: (k) => store.delete(k),
      list: (prefix) => [...store.keys()].filter((k) => k.startsWith(prefix)),
    },
    snapshot: () => Object.fromEntries(store),
  };
}

self.onmessage = (event: MessageEvent<PreviewJob>) => {
  const job = event.data;
  const started = performance.now();
  const logs: PreviewLogLine[] = [];
  const kv = job.kv ? memoryKv(job.kv) : null;
  let result: PreviewResult;
  try {
    if (cached?.key !== job.moduleKey) cached = { key: job.moduleKey, module: new WebAssembly.Module(job.wasm as Uint8Array<ArrayBuffer>) };
    const files = Object.keys(job.files).length ? MemFs.fromEntries(job.files, { readOnly: true }) : undefined;
    const res = runWagi({
      module: cached.module,
      request: job.request,
      entrypoint: job.entrypoint,
      env: job.env,
      ...(files ? { files } : {}),
      maxResponseBytes: job.maxResponseBytes,
      host: { log: (level, message) => void logs.push({ level, message }), ...(kv ? { kv: kv.host } : {}) },
    });
    result = {
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
    result = {
      id: job.id, status: 500, headers: [], body: new Uint8Array(0), stderr: "", logs, exitCode: -1, memoryBytes: 0,
      durationMs: performance.now() - started, error: { kind: "instantiate", message: e instanceof Error ? e.message : String(e) }, kv: job.kv,
    };
  }
  self.postMessage(result);
};
