// Compiles a module in a short-lived worker thread and answers its imports and exports: the
// compile (and V8's copy of the bytes, ~200 ms for 60 MiB here) happens off the console's main
// thread, which keeps answering other requests meanwhile, and a module whose compile runs past
// the deadline (e.g. hundreds of thousands of functions) is stopped instead of holding a core.
// Bytes in a SharedArrayBuffer (the upload reader's) reach the worker without a copy.
import { Worker } from "node:worker_threads";
import type { ModuleDescription } from "@/lib/wasm/validate-module";

const SCRIPT = `
const { parentPort, workerData } = require("node:worker_threads");
try {
  const module = new WebAssembly.Module(workerData);
  parentPort.postMessage({ ok: true, imports: WebAssembly.Module.imports(module), exports: WebAssembly.Module.exports(module) });
} catch (error) {
  parentPort.postMessage({ ok: false, message: String(error && error.message || error) });
}
`;

export class ModuleCompileTimeout extends Error {}

export function describeModuleInWorker(bytes: Uint8Array, { timeoutMs = 30_000 } = {}): Promise<ModuleDescription> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(SCRIPT, { eval: true, workerData: bytes });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new ModuleCompileTimeout(`compiling the module took longer than ${timeoutMs / 1000} s`));
    }, timeoutMs);
    worker.once("message", (answer: { ok: true; imports: WebAssembly.ModuleImportDescriptor[]; exports: WebAssembly.ModuleExportDescriptor[] } | { ok: false; message: string }) => {
      clearTimeout(timer);
      void worker.terminate();
      if (answer.ok) resolve({ imports: answer.imports, exports: answer.exports });
      else reject(new WebAssembly.CompileError(answer.message));
    });
    worker.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
