/**
 * Guest worker: runs one WAGI request at a time, each in a fresh instance of a cached compiled
 * module. The parent owns deadlines (it terminates this thread on overrun), so nothing here
 * needs to be interruptible.
 */
import { readlinkSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { APP_FILES_PATH, GUEST_LOG_LIMITS, MemFs, parseWagiRoutes, runWagi, runWasi, takeSnapshot, type MemorySnapshot } from "../wasm";
import { componentFromCompiled, runComponent, type LoadedComponent } from "../wasm/component/run-component";
import { KvBridgeClient, type KvWorkerEnd } from "./kv-bridge";
import { Lru } from "./lru";
import { prepareModule, type PreparedModule } from "./module-cache";
import { MemoryPool, RECYCLED_MEMORY_IMPORT, type MemoryShape } from "./recycled-memory";
import {
  PROGRESS_CELLS,
  PROGRESS_FINISHED,
  PROGRESS_RUNNING,
  PROGRESS_STARTED,
  type GuestLogLine,
  type JobMessage,
  type ParentMessage,
  type PayloadMessage,
  type WorkerMessage,
} from "./worker-protocol";

const port = parentPort;
if (!port) throw new Error("wagi-worker must run in a worker thread");
const progress = (workerData as { progress?: Int32Array } | undefined)?.progress ?? new Int32Array(PROGRESS_CELLS);
// The guest's kv_* calls block this thread while the gateway's main thread talks to the database.
const kvEnd = (workerData as { kv?: KvWorkerEnd } | undefined)?.kv;
const kvClient = kvEnd ? new KvBridgeClient(kvEnd) : null;

const modules = new Lru<string, PreparedModule>(64);
const fileTrees = new Lru<string, MemFs>(32);
const memories = new MemoryPool();
// A component's glue, evaluated once per worker (its core modules come compiled with the job).
const components = new Lru<string, LoadedComponent>(64);
// Per module and file tree (a JavaScript app's script is a file): null when the module declined one.
const snapshots = new Lru<string, MemorySnapshot | null>(256, 64 * 1024 * 1024);

function send(message: WorkerMessage, transfer: Transferable[] = []): void {
  port!.postMessage(message, transfer as never);
}

function memoryImport(memory: WebAssembly.Memory | undefined): WebAssembly.Imports {
  return memory ? { [RECYCLED_MEMORY_IMPORT.module]: { [RECYCLED_MEMORY_IMPORT.name]: memory } } : {};
}

/** The module's memory starts above the gateway's memory ceiling: answered as a failed instantiation. */
class MemoryOverCeiling extends Error {}

/** The module's memory with its maximum lowered to the gateway's ceiling (a version published under a higher one). */
function cappedShape(shape: MemoryShape | null, maxPages: number | undefined): MemoryShape | null {
  if (!shape || maxPages === undefined || (shape.maximumPages !== null && shape.maximumPages <= maxPages)) return shape;
  return { initialPages: shape.initialPages, maximumPages: maxPages };
}

async function handle(job: JobMessage): Promise<void> {
  const { prepared, moduleMiss } = await moduleOf(job);
  const files = await filesOf(job);
  const shape = cappedShape(prepared.memory, job.input.maxMemoryPages);
  if (shape && shape.maximumPages !== null && shape.initialPages > shape.maximumPages) {
    const mib = (pages: number) => (pages * 65536) / 1048576;
    throw new MemoryOverCeiling(
      `its memory starts at ${mib(shape.initialPages)} MiB, above the ${mib(shape.maximumPages)} MiB this gateway allows an app (GATEWAY_MAX_MEMORY_MB)`,
    );
  }
  Atomics.store(progress, PROGRESS_RUNNING, job.id);
  if (prepared.component) {
    let loaded = components.get(job.moduleHash);
    if (!loaded) components.set(job.moduleHash, (loaded = componentFromCompiled(prepared.component)));
    serveComponentRequest(job, loaded, moduleMiss);
    return;
  }
  if (job.input.mode === "routes") {
    const memory = shape ? memories.acquire(shape) : undefined;
    discoverRoutes(job, prepared.module, memory, moduleMiss);
    if (shape && memory) memories.release(shape, memory);
    return;
  }
  const snapshot = prepared.snapshots ? snapshotOf(job, prepared.module, shape, files) : null;
  // A snapshot's memory is as large as initialisation left it: pooled under that size.
  const runShape = snapshot && shape ? { ...shape, initialPages: snapshot.pages } : shape;
  const memory = runShape ? memories.acquire(runShape) : undefined;
  serveRequest(job, prepared.module, memory, files, moduleMiss, snapshot);
  // Scrub the memory after answering, so the zeroing is off the request's path.
  if (runShape && memory) memories.release(runShape, memory);
}

/**
 * The module's snapshot with this app's files (lib/wasm/snapshot.ts), taken on its first request in
 * this worker; null when the module declined it or it would not fit under the memory ceiling.
 */
function snapshotOf(job: JobMessage, module: WebAssembly.Module, shape: MemoryShape | null, files: MemFs | undefined): MemorySnapshot | null {
  const key = `${job.moduleHash}:${job.filesKey ?? ""}`;
  const known = snapshots.get(key);
  if (known !== undefined) return known;
  const memory = shape ? memories.acquire(shape) : undefined;
  const taken = takeSnapshot({ module, extraImports: memoryImport(memory), ...(files ? { preopens: { [APP_FILES_PATH]: files } } : {}) });
  if (shape && memory) memories.release(shape, memory);
  const fits = "snapshot" in taken && (shape?.maximumPages == null || taken.snapshot.pages <= shape.maximumPages);
  const snapshot = fits ? taken.snapshot : null;
  snapshots.set(key, snapshot, snapshot ? snapshot.bytes : 0);
  return snapshot;
}

/** The job's compiled module: from this worker's cache, the job's payload, or asked of the parent. */
async function moduleOf(job: JobMessage): Promise<{ prepared: PreparedModule; moduleMiss: boolean }> {
  const cached = modules.get(job.moduleHash);
  if (cached) return { prepared: cached, moduleMiss: false };
  const payload = job.payload ?? (await askFor(job.id, "module")).payload;
  if (!payload) throw new Error("the parent sent no module");
  const prepared = "module" in payload ? payload : await prepareModule(payload.bytes);
  modules.set(job.moduleHash, prepared);
  return { prepared, moduleMiss: true };
}

/** The app's read-only /app files, when it has any. */
async function filesOf(job: JobMessage): Promise<MemFs | undefined> {
  if (!job.filesKey) return undefined;
  let files = fileTrees.get(job.filesKey);
  if (!files) {
    const entries = job.files ?? (await askFor(job.id, "files")).files ?? {};
    files = MemFs.fromEntries(entries, { readOnly: true });
    fileTrees.set(job.filesKey, files);
  }
  return files;
}

/** Runs one WAGI request in a fresh instance and sends its response (or its typed failure) to the parent. */
function serveRequest(
  job: JobMessage,
  module: WebAssembly.Module,
  memory: WebAssembly.Memory | undefined,
  files: MemFs | undefined,
  moduleMiss: boolean,
  snapshot: MemorySnapshot | null,
): void {
  const logs: GuestLogLine[] = [];
  const started = performance.now();
  const result = runWagi({
    module,
    extraImports: memoryImport(memory),
    request: job.input.request,
    entrypoint: job.input.entrypoint,
    env: job.input.env,
    files,
    host: {
      log: (level: string, message: string) => void logs.push({ level, message }),
      ...(job.input.kv && kvClient ? { kv: kvClient.forJob(job.id) } : {}),
      ...(job.input.outbound && kvClient ? { http: kvClient.outboundForJob(job.id) } : {}),
    },
    maxResponseBytes: job.input.maxResponseBytes,
    ...(snapshot ? { snapshot } : {}),
  });
  const runMs = performance.now() - started;
  const { status, headers, body, stderr, exitCode, memoryBytes, error } = result;
  send(
    { type: "done", id: job.id, result: { status, headers, body, stderr, exitCode, memoryBytes, error, logs, runMs, moduleMiss } },
    // Hand the body's memory over instead of copying it, when it owns its whole buffer.
    body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer ? [body.buffer] : [],
  );
}

/**
 * Runs one request through a WASI 0.2 component, in a fresh instance of its core modules. A
 * component has no `_routes`: a routes job (never sent for one) is answered with no routes.
 */
function serveComponentRequest(job: JobMessage, component: LoadedComponent, moduleMiss: boolean): void {
  const logs: GuestLogLine[] = [];
  const started = performance.now();
  const result =
    job.input.mode === "routes"
      ? { status: 200, headers: [], body: new TextEncoder().encode("[]"), stderr: "", exitCode: 0, memoryBytes: 0, error: undefined }
      : runComponent({
          component,
          request: job.input.request,
          env: job.input.env,
          host: {
            log: (level: string, message: string) => void logs.push({ level, message }),
            ...(job.input.outbound && kvClient ? { http: kvClient.outboundForJob(job.id) } : {}),
          },
          maxResponseBytes: job.input.maxResponseBytes,
        });
  const { status, headers, body, stderr, exitCode, memoryBytes, error } = result;
  send(
    { type: "done", id: job.id, result: { status, headers, body, stderr, exitCode, memoryBytes, error, logs, runMs: performance.now() - started, moduleMiss } },
    body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer ? [body.buffer] : [],
  );
}

/** Runs the module's `_routes` export and answers the parsed routes as JSON. */
function discoverRoutes(job: JobMessage, module: WebAssembly.Module, memory: WebAssembly.Memory | undefined, moduleMiss: boolean): void {
  const started = performance.now();
  let status = 200;
  let body: string;
  const run = runWasi({
    module,
    args: ["_routes"],
    entrypoint: "_routes",
    extraImports: memoryImport(memory),
    maxStdoutBytes: job.input.maxResponseBytes,
    maxStderrBytes: GUEST_LOG_LIMITS.bytes,
  });
  try {
    if (run.error) throw new Error(`_routes failed: ${run.error.message}`);
    if (run.exitCode !== 0) throw new Error(`_routes exited with code ${run.exitCode}`);
    body = JSON.stringify(parseWagiRoutes(new TextDecoder().decode(run.stdout)));
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
      stderr: new TextDecoder().decode(run.stderr),
      exitCode: run.exitCode,
      memoryBytes: run.memoryBytes,
      logs: [],
      runMs: performance.now() - started,
      moduleMiss,
    },
  });
}

// Jobs run strictly in arrival order (the parent may pipeline several): the parent relies on
// it to know which jobs had not started when it must stop this worker.
const queue: JobMessage[] = [];
let draining = false;
let awaiting: { id: number; resolve(message: PayloadMessage): void } | null = null;

function askFor(id: number, what: "module" | "files"): Promise<PayloadMessage> {
  return new Promise((resolve) => {
    awaiting = { id, resolve };
    send({ type: "miss", id, what });
  });
}

/** The last job claimed, and every id up to which the parent took jobs back. */
let lastClaimed = 0;
let reclaimedUpTo = 0;

/**
 * Claims a job before starting it: false when the parent took it back (it waited behind a job
 * that ran long, and runs elsewhere now). See PROGRESS_STARTED.
 */
function claim(id: number): boolean {
  if (id <= reclaimedUpTo) return false;
  const seen = Atomics.compareExchange(progress, PROGRESS_STARTED, lastClaimed, id);
  if (seen === lastClaimed) {
    lastClaimed = id;
    return true;
  }
  // The parent's mark (minus the last id it took back) is the only other value the cell holds.
  reclaimedUpTo = Math.max(reclaimedUpTo, -seen);
  Atomics.store(progress, PROGRESS_STARTED, lastClaimed);
  return claim(id);
}

async function drain(): Promise<void> {
  if (draining) return;
  draining = true;
  while (queue.length > 0) {
    const job = queue.shift()!;
    if (!claim(job.id)) continue;
    try {
      await handle(job);
    } catch (error) {
      if (error instanceof MemoryOverCeiling) {
        const result = { status: 500, headers: [], body: new Uint8Array(0), stderr: "", exitCode: 1, memoryBytes: 0, logs: [], runMs: 0, moduleMiss: false };
        send({ type: "done", id: job.id, result: { ...result, error: { kind: "instantiate", message: error.message } } });
      } else {
        send({ type: "failed", id: job.id, message: error instanceof Error ? error.message : String(error) });
      }
    }
    Atomics.store(progress, PROGRESS_RUNNING, 0);
    Atomics.store(progress, PROGRESS_FINISHED, job.id);
  }
  draining = false;
}

port.on("message", (message: ParentMessage) => {
  if (message.type === "payload") {
    if (awaiting?.id === message.id) {
      const { resolve } = awaiting;
      awaiting = null;
      resolve(message);
    }
    return;
  }
  queue.push(...message.jobs);
  void drain();
});

// Linux: this thread's id, so the pool can lower its CPU priority while a guest runs long.
let tid: number | undefined;
try {
  tid = Number(readlinkSync("/proc/thread-self").split("/").pop()) || undefined;
} catch {
  // Not Linux: guests keep the priority they have.
}
send({ type: "ready", ...(tid ? { tid } : {}) });
