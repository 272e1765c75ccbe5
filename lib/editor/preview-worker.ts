/// <reference lib="webworker" />
// The live preview's guest runner: lib/wasm's runWagi (the gateway's host) inside a Web Worker, so
// that the page can stop a runaway guest by terminating this worker at the deadline. It also runs
// a module's `_routes` export (readWagiRoutes, the same discovery a gateway does when it first loads a version).
// A WASI 0.2 component comes as the artifact publish stores (the console transpiles it for the IDE,
// app/api/v1/apps/[app]/preview/component) and runs through runComponent, as on the gateway.
import { APP_FILES_PATH, MemFs, readWagiRoutes, runWagi, snapshotReady, takeSnapshot, type MemorySnapshot } from "@/lib/wasm";
import { memoryKv } from "./preview-kv-host";
import { previewOutboundHost } from "./preview-outbound-host";
import { JS_WORKER_FILE } from "@/lib/javascript/js-app";
import { isComponentArtifact } from "@/lib/wasm/component/artifact";
import { loadComponent, runComponent, type LoadedComponent } from "@/lib/wasm/component/run-component";
import type { CompileModuleJob, CompileModuleResult, PreviewJob, PreviewLogLine, PreviewResult, RoutesJob, RoutesResult } from "./preview-protocol";

declare const self: DedicatedWorkerGlobalScope;

type Runnable = { kind: "module"; module: WebAssembly.Module } | { kind: "component"; component: LoadedComponent };

let cached: { key: string; runnable: Runnable; snapshots: boolean } | null = null;

/**
 * The module compiled as a gateway compiles it: ready for snapshots when it asks for them (the JS
 * engine does); or a component's core modules compiled and its glue evaluated.
 */
function runnableFor(job: { moduleKey: string; wasm: Uint8Array }): Runnable {
  if (cached?.key !== job.moduleKey) {
    if (isComponentArtifact(job.wasm)) {
      cached = { key: job.moduleKey, runnable: { kind: "component", component: loadComponent(job.wasm) }, snapshots: false };
    } else {
      const ready = snapshotReady(job.wasm);
      cached = { key: job.moduleKey, runnable: { kind: "module", module: new WebAssembly.Module(ready ?? (job.wasm as Uint8Array<ArrayBuffer>)) }, snapshots: ready !== null };
    }
  }
  return cached.runnable;
}

// The last snapshot taken (lib/wasm/snapshot.ts), with the files it was taken with: a JavaScript
// app's requests start from its loaded script as on the gateway, until the script changes.
let lastSnapshot: { moduleKey: string; files: Record<string, Uint8Array>; snapshot: MemorySnapshot | null } | null = null;

function snapshotFor(job: PreviewJob, module: WebAssembly.Module, files: MemFs | undefined): MemorySnapshot | null {
  if (!cached?.snapshots) return null;
  if (lastSnapshot?.moduleKey === job.moduleKey && sameFiles(lastSnapshot.files, job.files)) return lastSnapshot.snapshot;
  const taken = takeSnapshot({ module, ...(files ? { preopens: { [APP_FILES_PATH]: files } } : {}) });
  lastSnapshot = { moduleKey: job.moduleKey, files: job.files, snapshot: "snapshot" in taken ? taken.snapshot : null };
  return lastSnapshot.snapshot;
}

function sameFiles(a: Record<string, Uint8Array>, b: Record<string, Uint8Array>): boolean {
  const names = Object.keys(a);
  if (names.length !== Object.keys(b).length) return false;
  return names.every((name) => {
    const x = a[name]!;
    const y = b[name];
    return y !== undefined && x.length === y.length && x.every((byte, i) => byte === y[i]);
  });
}

function discoverRoutes(job: RoutesJob): RoutesResult {
  try {
    const runnable = runnableFor(job);
    // A component has no _routes: it serves every path of the app.
    if (runnable.kind === "component") return { id: job.id, routes: [] };
    return { id: job.id, routes: readWagiRoutes(runnable.module).map((r) => ({ path: r.path, entrypoint: r.entrypoint })) };
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
    const runnable = runnableFor(job);
    const hostLog = (level: PreviewLogLine["level"], message: string) => log({ level, message });
    let res: ReturnType<typeof runWagi>;
    if (runnable.kind === "component") {
      // Key-value has no WASI 0.2 interface here yet, and a component sees no /app files (as on the gateway).
      res = runComponent({ component: runnable.component, request: job.request, env: job.env, maxResponseBytes: job.maxResponseBytes, host: { log: hostLog, http } });
    } else {
      const { module } = runnable;
      const snapshot = snapshotFor(job, module, files);
      res = runWagi({
        module,
        ...(snapshot ? { snapshot } : {}),
        request: job.request,
        entrypoint: job.entrypoint,
        env: job.env,
        ...(files ? { files } : {}),
        maxResponseBytes: job.maxResponseBytes,
        host: { log: hostLog, ...(kv ? { kv: kv.host } : {}), http },
      });
    }
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
    const runnable = runnableFor(job);
    if (job.warmJsEngine && runnable.kind === "module") {
      const { module } = runnable;
      const files = MemFs.fromEntries({ [JS_WORKER_FILE]: WARM_SCRIPT }, { readOnly: true });
      // Both ways a request may start: loading the script, and from a snapshot of it.
      const taken = takeSnapshot({ module, preopens: { [APP_FILES_PATH]: files } });
      for (const snapshot of ["snapshot" in taken ? taken.snapshot : undefined, undefined]) {
        runWagi({ module, request: { method: "GET", url: "http://warm.localhost/", headers: [], body: new Uint8Array(0), remoteAddr: "127.0.0.1", route: "/..." }, env: {}, files, host: { log: () => undefined }, ...(snapshot ? { snapshot } : {}) });
      }
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
