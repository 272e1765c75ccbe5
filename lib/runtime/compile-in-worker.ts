/**
 * Compiles a module in a short-lived worker thread and hands the compiled WebAssembly.Module back
 * (posting a Module shares its code, it is not compiled again): the gateway's main thread never
 * compiles, so a module that takes long (hundreds of thousands of functions) stalls no one else's
 * requests, and one that takes longer than `timeoutMs` is stopped with ModuleCompileTimeout.
 * A small module compiles on the calling thread instead (COMPILE_IN_PLACE_MAX_BYTES).
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
 * Modules up to this size compile on the calling thread: V8's baseline compiler takes well under
 * a few ms for them, starting a thread 20–60 ms (most of a folder gateway's first request).
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
