/**
 * Guest worker: runs one WAGI request at a time, each in a fresh instance of a cached compiled
 * module. The parent owns deadlines (it terminates this thread on overrun), so nothing here
 * needs to be interruptible.
 */
import { parentPort } from "node:worker_threads";
import { MemFs, readWagiRoutes, runWagi } from "../wasm";
import { Lru } from "./lru";
import type { GuestLogLine, JobMessage, ParentMessage, WorkerMessage } from "./worker-protocol";

const port = parentPort;
if (!port) throw new Error("wagi-worker must run in a worker thread");

const modules = new Lru<string, WebAssembly.Module>(64);
const fileTrees = new Lru<string, MemFs>(32);

function send(message: WorkerMessage, transfer: Transferable[] = []): void {
  port!.postMessage(message, transfer as never);
}

async function handle(job: JobMessage): Promise<void> {
  let moduleMiss = false;
  let module = modules.get(job.moduleHash);
  if (!module) {
    if (!job.payload) return send({ type: "miss", id: job.id, what: "module" });
    module =
      "module" in job.payload
        ? job.payload.module
        : await WebAssembly.compile(job.payload.bytes as Uint8Array<ArrayBuffer>);
    modules.set(job.moduleHash, module);
    moduleMiss = true;
  }

  let files: MemFs | undefined;
  if (job.filesKey) {
    files = fileTrees.get(job.filesKey);
    if (!files) {
      if (!job.files) return send({ type: "miss", id: job.id, what: "files" });
      files = MemFs.fromEntries(job.files, { readOnly: true });
      fileTrees.set(job.filesKey, files);
    }
  }

  if (job.input.mode === "routes") return discoverRoutes(job, module, moduleMiss);

  const logs: GuestLogLine[] = [];
  const started = performance.now();
  const result = await runWagi({
    module,
    request: job.input.request,
    entrypoint: job.input.entrypoint,
    env: job.input.env,
    files,
    host: { log: (level: string, message: string) => void logs.push({ level, message }) },
    maxResponseBytes: job.input.maxResponseBytes,
  });
  const runMs = performance.now() - started;

  const body = result.body;
  send(
    {
      type: "done",
      id: job.id,
      result: {
        status: result.status,
        headers: result.headers,
        body,
        stderr: result.stderr,
        exitCode: result.exitCode,
        memoryBytes: result.memoryBytes,
        error: result.error,
        logs,
        runMs,
        moduleMiss,
      },
    },
    // Hand the body's memory over instead of copying it, when it owns its whole buffer.
    body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer
      ? [body.buffer]
      : [],
  );
}

function discoverRoutes(job: JobMessage, module: WebAssembly.Module, moduleMiss: boolean): void {
  const started = performance.now();
  let status = 200;
  let body: string;
  try {
    body = JSON.stringify(readWagiRoutes(module));
  } catch (error) {
    status = 500;
    body = error instanceof Error ? error.message : String(error);
  }
  send({
    type: "done",
    id: job.id,
    result: {
      status,
      headers: [],
      body: new TextEncoder().encode(body),
      stderr: "",
      exitCode: status === 200 ? 0 : 1,
      memoryBytes: 0,
      logs: [],
      runMs: performance.now() - started,
      moduleMiss,
    },
  });
}

port.on("message", (message: ParentMessage) => {
  handle(message).catch((error: unknown) => {
    send({ type: "failed", id: message.id, message: error instanceof Error ? error.message : String(error) });
  });
});

send({ type: "ready" });
