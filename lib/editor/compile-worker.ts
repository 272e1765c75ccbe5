/// <reference lib="webworker" />
// Compilers run here, off the main thread, so typing never stalls. Each compiler is loaded on first
// use (the AssemblyScript compiler and Binaryen are large) and warmed with a throwaway compile, so
// the first real edit does not pay for the JIT (unless a real compile is waiting: it warms it). Jobs run one at a time: asc keeps global state.
import { compileAssemblyScript, type AscLike } from "./compile-as";
import { compileWat, type WabtLike } from "./compile-wat";
import { compileJs, esbuildWasmUrl, type EsbuildLike } from "./compile-js";
import type { CompileJob, CompileReply } from "./compile-protocol";
import { findEditorTemplate } from "../templates/templates";
import { BINARYEN_WASM_URL, compileBinaryenWasm } from "./binaryen-wasm-browser";

declare const self: DedicatedWorkerGlobalScope;

let asc: Promise<AscLike> | null = null;
let wabt: Promise<WabtLike> | null = null;
let esbuild: Promise<EsbuildLike> | null = null;
let queue: Promise<unknown> = Promise.resolve();
let warmedAsc = false;
let latestId = 0;

function once<T>(load: () => Promise<T>, reset: () => void): Promise<T> {
  return load().catch((e: unknown) => {
    reset();
    throw e;
  });
}
const loadAsc = () => (asc ??= once(() => import("assemblyscript/asc").then((m) => (m.default ?? m) as unknown as AscLike), () => (asc = null)));
const loadWabt = () => (wabt ??= once(() => import("wabt").then((m) => m.default()).then((w) => w as unknown as WabtLike), () => (wabt = null)));

// esbuild-wasm runs in this worker (worker: false); its wasm comes from the console (/compiler/).
const loadEsbuild = () =>
  (esbuild ??= once(
    () => import("esbuild-wasm").then(async (m) => {
      await m.initialize({ wasmURL: esbuildWasmUrl(m.version), worker: false });
      return m as EsbuildLike;
    }),
    () => (esbuild = null),
  ));

async function runJs(job: CompileJob): Promise<CompileReply> {
  const result = await compileJs(await loadEsbuild(), job.files, job.entry);
  // _worker.js written by hand is published as it is (as the CLI does); the bundle only checks it.
  const script = result.script && job.bundle === false ? new TextEncoder().encode(job.files[job.entry] ?? "") : result.script;
  const sourceMap = job.bundle === false ? null : result.sourceMap;
  return { id: job.id, wasm: null, ms: result.ms, diagnostics: result.diagnostics, ...(script ? { script } : {}), ...(sourceMap ? { sourceMap } : {}) };
}

/** Bytes the network carried for Binaryen's wasm: 0 when the HTTP cache served it; null when the browser does not say. */
function wasmTransferBytes(): number | null {
  const entry = performance.getEntriesByName(new URL(BINARYEN_WASM_URL, self.location.href).href)[0] as PerformanceResourceTiming | undefined;
  return entry ? entry.transferSize : null;
}

function enqueue<T>(task: () => Promise<T>): Promise<T> {
  const next = queue.then(task);
  queue = next.catch(() => undefined);
  return next;
}

async function run(job: CompileJob): Promise<CompileReply> {
  try {
    if (job.language === "javascript") return await runJs(job);
    const result = job.language === "wat" ? compileWat(await loadWabt(), job.files[job.entry] ?? "", job.entry) : await compileAssemblyScript(await loadAsc(), job.files, job.entry);
    return { id: job.id, ...result };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { id: job.id, wasm: null, ms: 0, diagnostics: [{ file: job.entry, line: 1, column: 1, endLine: 1, endColumn: 1, message: `The compiler failed: ${message}`, severity: "error" }] };
  }
}

/** AssemblyScript compiles received and not yet started. */
let waitingAscJobs = 0;
/** Set while the warm-up leaves its report to the first real compile (which warms the JIT instead). */
let warmReport: { loadMs: number } | null = null;

function reportWarmed(loadMs: number, compileMs: number): void {
  self.postMessage({ id: -1, warmed: "assemblyscript", loadMs, compileMs, wasmTransferBytes: wasmTransferBytes(), wasm: null, diagnostics: [], ms: 0 });
}

self.onmessage = (event: MessageEvent<CompileJob | { warm: CompileJob["language"] }>) => {
  const job = event.data;
  if ("warm" in job) {
    if (job.warm === "wat") void enqueue(() => loadWabt()).catch(() => undefined);
    else if (job.warm === "javascript") void enqueue(() => loadEsbuild()).catch(() => undefined);
    else if (!warmedAsc) {
      warmedAsc = true;
      const hello = findEditorTemplate("hello-as")!;
      const started = performance.now();
      // Binaryen's wasm downloads and compiles while asc's JS chunk loads (asc waits for it).
      void compileBinaryenWasm().catch(() => undefined);
      void enqueue(async () => {
        await loadAsc();
        const loadMs = performance.now() - started;
        // A real compile is already waiting (the editor's, or the app's source that the app page and
        // the editor page precompile): it warms the JIT as well as a throwaway one would, and the
        // first preview does not wait for both. The throwaway runs only when nothing was sent.
        if (waitingAscJobs > 0) {
          warmReport = { loadMs };
          return;
        }
        const result = await run({ id: -1, language: "assemblyscript", files: hello.editorFiles, entry: "main.ts" });
        reportWarmed(loadMs, result.ms);
      });
    }
    return;
  }
  latestId = Math.max(latestId, job.id);
  const asc = job.language === "assemblyscript";
  if (asc) waitingAscJobs++;
  // While typing, only the newest source matters: a job superseded before it started is skipped.
  const skipped: CompileReply = { id: job.id, wasm: null, ms: 0, diagnostics: [], skipped: true };
  void enqueue(async () => {
    if (asc) waitingAscJobs--;
    if (job.id < latestId) return skipped;
    const reply = await run(job);
    if (asc && warmReport) {
      reportWarmed(warmReport.loadMs, reply.ms);
      warmReport = null;
    }
    return reply;
  }).then((reply) => self.postMessage(reply, [reply.wasm?.buffer, reply.script?.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer)));
};
