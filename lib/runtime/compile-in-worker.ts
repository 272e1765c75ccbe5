/**
 * Compiles a module in a short-lived worker thread and hands the compiled WebAssembly.Module back
 * (posting a Module shares its code, it is not compiled again): the gateway's main thread never
 * compiles, so a module that takes long (hundreds of thousands of functions) stalls no one else's
 * requests, and one that takes longer than `timeoutMs` is stopped with ModuleCompileTimeout.
 * A small module goes to WebAssembly.compile instead (COMPILE_IN_PLACE_MAX_BYTES), which V8 runs on its
 * own background threads: no thread to start for it.
 */
import { Worker } from "node:worker_threads";

const SCRIPT = `
const { parentPort, workerData } = require("node:worker_threads");
let answer;
try {
  answer = { ok: true, module: new WebAssembly.Module(workerData) };
} catch (error) {
  answer = { ok: false, message: String((error && error.message) || error) };
}
parentPort.postMessage(answer);
`;

/** How long the gateway waits for a compile outside a request (route discovery, transfer "module"). */
export const COMPILE_TIMEOUT_MS = 10_000;

/**
 * Modules up to this size go to WebAssembly.compile: under a ms of V8's background compile for
 * them, where starting a thread takes 20–60 ms (most of a folder gateway's first request). Too
 * small to outlast any deadline, so the timeout is not needed for them.
 */
export const COMPILE_IN_PLACE_MAX_BYTES = 64 * 1024;

export class ModuleCompileTimeout extends Error {
  override name = "ModuleCompileTimeout";
}

export function compileInWorker(bytes: Uint8Array, { timeoutMs = COMPILE_TIMEOUT_MS } = {}): Promise<WebAssembly.Module> {
  if (bytes.byteLength <= COMPILE_IN_PLACE_MAX_BYTES) return WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  return new Promise((resolve, reject) => {
    const worker = new Worker(SCRIPT, { eval: true, workerData: bytes });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new ModuleCompileTimeout(`compiling the module took longer than ${timeoutMs / 1000} s`));
    }, timeoutMs);
    worker.once("message", (answer: { ok: true; module: WebAssembly.Module } | { ok: false; message: string }) => {
      clearTimeout(timer);
      void worker.terminate();
      if (answer.ok) resolve(answer.module);
      else reject(new WebAssembly.CompileError(answer.message));
    });
    worker.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
