/**
 * Compiles a module in a compile worker thread and hands the compiled WebAssembly.Module back
 * (posting a Module shares its code, it is not compiled again), or only its imports and exports:
 * neither the gateway's nor the console's main thread compiles, so a module that takes long
 * (hundreds of thousands of functions) stalls no one else's requests, and one that takes longer
 * than `timeoutMs` is stopped (its worker terminated) with ModuleCompileTimeout. A small module goes
 * to WebAssembly.compile instead (COMPILE_IN_PLACE_MAX_BYTES), which V8 runs on its own background
 * threads. Bytes in a SharedArrayBuffer (the console's upload arena) reach the worker without a copy.
 *
 * Both the gateway (compiles, route discovery, the folder registry's checks) and the console's
 * publish (the module checks) use it, so it sits below lib/runtime and lib/versions, importing
 * neither.
 *
 * The workers stand: starting a thread cost 30–35 ms on a loaded 2-core machine, where a small
 * module compiles in ≈ 1 ms, and was most of a cold app's first request (bench/many-apps.ts, issue
 * #18) and of a publish (bench/deploy.ts). A compile takes an idle worker or starts one, so
 * compiles never queue behind each other; up to MAX_IDLE workers are kept once done, unref'd so
 * they never hold the process open.
 */
import { Worker } from "node:worker_threads";

const SCRIPT = `
const { parentPort } = require("node:worker_threads");
parentPort.on("message", ({ bytes, describe }) => {
  let answer;
  try {
    const module = new WebAssembly.Module(bytes);
    answer = describe
      ? { ok: true, imports: WebAssembly.Module.imports(module), exports: WebAssembly.Module.exports(module) }
      : { ok: true, module };
  } catch (error) {
    answer = { ok: false, message: String((error && error.message) || error) };
  }
  parentPort.postMessage(answer);
});
`;

/** How long the gateway waits for a compile outside a request (route discovery, transfer "module"); publish sets its own. */
export const COMPILE_TIMEOUT_MS = 10_000;

/**
 * Modules up to this size go to WebAssembly.compile: under a ms of V8's background compile for
 * them, and no message to a worker and back. Too small to outlast any deadline, so the timeout is
 * not needed for them.
 */
export const COMPILE_IN_PLACE_MAX_BYTES = 64 * 1024;

/** Idle compile workers kept for the next compile (each holds a V8 isolate: a few MiB). */
const MAX_IDLE = 2;

/**
 * Compiles one worker runs before it is replaced: a Module it compiled only to describe is
 * garbage in its heap, whose code V8 frees when that heap is collected, which a mostly idle
 * isolate rarely does; a fresh worker now and then bounds what they can hold.
 */
const COMPILES_PER_WORKER = 500;

/**
 * Bytes one worker compiles before it is replaced, for the same reason: each of those Modules
 * holds a copy of its bytes besides its code, and one publish can bring tens of MiB, which a
 * thread per compile freed at once.
 */
export const BYTES_PER_WORKER = 16 * 1024 * 1024;

export class ModuleCompileTimeout extends Error {
  override name = "ModuleCompileTimeout";
}

type Answer =
  | { ok: true; module: WebAssembly.Module }
  | { ok: true; imports: WebAssembly.ModuleImportDescriptor[]; exports: WebAssembly.ModuleExportDescriptor[] }
  | { ok: false; message: string };

interface CompileWorker {
  worker: Worker;
  compiles: number;
  bytes: number;
}

const idle: CompileWorker[] = [];
let started = 0;

/** Compile workers started so far and idle now (tests, health). */
export function compileWorkerStats(): { started: number; idle: number } {
  return { started, idle: idle.length };
}

function takeWorker(): CompileWorker {
  const standing = idle.pop();
  if (standing) {
    standing.worker.ref();
    return standing;
  }
  const entry: CompileWorker = { worker: new Worker(SCRIPT, { eval: true }), compiles: 0, bytes: 0 };
  started++;
  // An idle worker that dies (it should not) leaves the idle list.
  entry.worker.once("exit", () => {
    const index = idle.indexOf(entry);
    if (index >= 0) idle.splice(index, 1);
  });
  return entry;
}

function putBack(entry: CompileWorker): void {
  if (idle.length >= MAX_IDLE || entry.compiles >= COMPILES_PER_WORKER || entry.bytes >= BYTES_PER_WORKER) {
    void entry.worker.terminate();
    return;
  }
  entry.worker.unref();
  idle.push(entry);
}

function compileWith(bytes: Uint8Array, describe: boolean, timeoutMs: number): Promise<Answer & { ok: true }> {
  return new Promise((resolve, reject) => {
    const entry = takeWorker();
    const { worker } = entry;
    const settle = () => {
      clearTimeout(timer);
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
    const onMessage = (answer: Answer) => {
      settle();
      entry.compiles++;
      entry.bytes += bytes.byteLength;
      putBack(entry);
      if (answer.ok) resolve(answer);
      else reject(new WebAssembly.CompileError(answer.message));
    };
    const onError = (error: Error) => {
      settle();
      void worker.terminate();
      reject(error);
    };
    const onExit = (code: number) => {
      settle();
      reject(new Error(`the compile worker exited with code ${code}`));
    };
    const timer = setTimeout(() => {
      settle();
      void worker.terminate();
      reject(new ModuleCompileTimeout(`compiling the module took longer than ${timeoutMs / 1000} s`));
    }, timeoutMs);
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    worker.postMessage({ bytes, describe });
  });
}

export async function compileInWorker(bytes: Uint8Array, { timeoutMs = COMPILE_TIMEOUT_MS } = {}): Promise<WebAssembly.Module> {
  if (bytes.byteLength <= COMPILE_IN_PLACE_MAX_BYTES) return WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  const answer = await compileWith(bytes, false, timeoutMs);
  return (answer as { module: WebAssembly.Module }).module;
}

/** Compiles the module (throwing WebAssembly.CompileError on an invalid one) and answers its imports and exports. */
export async function describeInWorker(
  bytes: Uint8Array,
  { timeoutMs = COMPILE_TIMEOUT_MS } = {},
): Promise<{ imports: WebAssembly.ModuleImportDescriptor[]; exports: WebAssembly.ModuleExportDescriptor[] }> {
  if (bytes.byteLength <= COMPILE_IN_PLACE_MAX_BYTES) {
    const module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
    return { imports: WebAssembly.Module.imports(module), exports: WebAssembly.Module.exports(module) };
  }
  const answer = (await compileWith(bytes, true, timeoutMs)) as { imports: WebAssembly.ModuleImportDescriptor[]; exports: WebAssembly.ModuleExportDescriptor[] };
  return { imports: answer.imports, exports: answer.exports };
}
