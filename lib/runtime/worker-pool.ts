/**
 * A pool of guest workers (worker_threads). Wasm cannot be interrupted on the thread that runs
 * it, so the parent owns every deadline: on overrun it terminates the worker and starts a new
 * one; a worker that dies answers only for the request it was running.
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { JobMessage, ModulePayload, WagiJobInput, WagiJobResult, WorkerMessage } from "./worker-protocol";

export type ModuleTransfer =
  /** Compile once in the parent and post the WebAssembly.Module (shared code, no recompile). */
  | "module"
  /** Post the bytes; each worker compiles its own copy. */
  | "bytes";

export interface WorkerPoolOptions {
  /** Number of workers; defaults to the number of cores (at least 2, so one runaway guest never stalls all). */
  size?: number;
  transfer?: ModuleTransfer;
  /** Jobs waiting for a free worker beyond this are refused (503) instead of queued. */
  maxQueue?: number;
  /** Path of a prebuilt worker script (ESM); by default wagi-worker.ts is bundled once per process. */
  workerScript?: string;
}

export interface PoolJob {
  moduleHash: string;
  /** Compiled module; used when transfer = "module". */
  getModule(): Promise<WebAssembly.Module>;
  /** Raw bytes; used when transfer = "bytes". */
  getBytes(): Promise<Uint8Array>;
  filesKey?: string;
  getFiles?(): Promise<Record<string, Uint8Array>>;
  input: WagiJobInput;
  /** Wall-clock budget once a worker has the job, in milliseconds. */
  deadlineMs: number;
}

export type PoolOutcome =
  | { kind: "ok"; result: WagiJobResult; wallMs: number }
  | { kind: "timeout"; wallMs: number }
  | { kind: "crashed"; message: string; wallMs: number }
  | { kind: "overloaded"; queued: number };

interface Pending {
  job: PoolJob;
  resolve(outcome: PoolOutcome): void;
  id: number;
  startedAt: number;
  timer?: NodeJS.Timeout;
  sentPayload: boolean;
  sentFiles: boolean;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  dead: boolean;
  current: Pending | null;
  /** Module hashes and file keys this worker was sent (a hint: the worker may have evicted them). */
  known: Set<string>;
}

let workerScriptPromise: Promise<string> | undefined;

/**
 * Bundles wagi-worker.ts (and lib/wasm) into one ESM file in the temp dir, once per process.
 * Loading TypeScript through a loader in every worker costs ~400 ms per spawn; a bundle starts
 * as fast as a plain worker, which matters when replacing a terminated one.
 */
export function getWorkerScript(): Promise<string> {
  workerScriptPromise ??= (async () => {
    const { build } = await import("esbuild");
    const entry = fileURLToPath(new URL("./wagi-worker.ts", import.meta.url));
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      write: false,
      logLevel: "silent",
    });
    const code = result.outputFiles[0]!.text;
    const hash = createHash("sha256").update(code).digest("hex").slice(0, 16);
    const dir = path.join(os.tmpdir(), "wasmcompute");
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `wagi-worker-${hash}.mjs`);
    if (!existsSync(file)) writeFileSync(file, code);
    return file;
  })();
  return workerScriptPromise;
}

export class WorkerPool {
  readonly size: number;
  readonly transfer: ModuleTransfer;
  private readonly maxQueue: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private script: string | undefined;
  private startupFailures = 0;
  respawns = 0;

  private constructor(options: WorkerPoolOptions) {
    this.size = options.size ?? Math.max(2, os.availableParallelism());
    this.transfer = options.transfer ?? "module";
    this.maxQueue = options.maxQueue ?? 1000;
  }

  static async create(options: WorkerPoolOptions = {}): Promise<WorkerPool> {
    const pool = new WorkerPool(options);
    pool.script = options.workerScript ?? (await getWorkerScript());
    const ready = Array.from({ length: pool.size }, () => pool.spawn());
    await Promise.all(ready);
    return pool;
  }

  stats(): { size: number; ready: number; busy: number; queued: number; respawns: number } {
    return {
      size: this.size,
      ready: this.slots.filter((s) => s.ready && !s.dead).length,
      busy: this.slots.filter((s) => s.current).length,
      queued: this.queue.length,
      respawns: this.respawns,
    };
  }

  run(job: PoolJob): Promise<PoolOutcome> {
    if (this.closed) return Promise.resolve({ kind: "crashed", message: "worker pool is closed", wallMs: 0 });
    if (this.queue.length >= this.maxQueue) {
      return Promise.resolve({ kind: "overloaded", queued: this.queue.length });
    }
    return new Promise((resolve) => {
      this.queue.push({ job, resolve, id: this.nextId++, startedAt: 0, sentPayload: false, sentFiles: false });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) {
      pending.resolve({ kind: "crashed", message: "worker pool closed", wallMs: 0 });
    }
    await Promise.all(
      this.slots.map(async (slot) => {
        slot.dead = true;
        if (slot.current) this.finish(slot, { kind: "crashed", message: "worker pool closed", wallMs: 0 });
        await slot.worker.terminate();
      }),
    );
    this.slots.length = 0;
  }

  private spawn(): Promise<void> {
    const worker = new Worker(this.script!, { stdout: false, stderr: false });
    const slot: Slot = { worker, ready: false, dead: false, current: null, known: new Set() };
    this.slots.push(slot);
    return new Promise<void>((resolveReady) => {
      worker.on("message", (message: WorkerMessage) => {
        if (message.type === "ready") {
          slot.ready = true;
          this.startupFailures = 0;
          resolveReady();
          this.dispatch();
          return;
        }
        this.onWorkerMessage(slot, message);
      });
      const die = (reason: string) => {
        if (slot.dead) return;
        slot.dead = true;
        if (!slot.ready) {
          this.startupFailures++;
          resolveReady();
        }
        if (slot.current) this.finish(slot, { kind: "crashed", message: reason, wallMs: this.elapsed(slot.current) });
        this.replace(slot);
      };
      worker.on("error", (error) => die(`worker crashed: ${error.message}`));
      worker.on("exit", (code) => die(`worker exited with code ${code}`));
    });
  }

  private replace(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    if (this.closed) return;
    this.respawns++;
    // A worker that cannot even start would otherwise be respawned in a tight loop.
    const delay = this.startupFailures === 0 ? 0 : Math.min(5000, 100 * 2 ** this.startupFailures);
    setTimeout(() => {
      if (!this.closed) void this.spawn();
    }, delay).unref();
  }

  private elapsed(pending: Pending): number {
    return pending.startedAt ? performance.now() - pending.startedAt : 0;
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const idle = this.slots.filter((s) => s.ready && !s.dead && !s.current);
      if (idle.length === 0) return;
      const head = this.queue[0]!;
      // Prefer a worker that already holds the module: no payload to send, no compile.
      const slot = idle.find((s) => s.known.has(head.job.moduleHash)) ?? idle[0]!;
      this.queue.shift();
      slot.current = head;
      head.startedAt = performance.now();
      head.timer = setTimeout(() => this.onDeadline(slot, head), head.job.deadlineMs);
      void this.post(slot, head, false, false);
    }
  }

  private async post(slot: Slot, pending: Pending, forceModule: boolean, forceFiles: boolean): Promise<void> {
    const { job } = pending;
    try {
      let payload: ModulePayload | undefined;
      if (forceModule || !slot.known.has(job.moduleHash)) {
        payload = this.transfer === "module" ? { module: await job.getModule() } : { bytes: await job.getBytes() };
      }
      let files: Record<string, Uint8Array> | undefined;
      if (job.filesKey && (forceFiles || !slot.known.has(job.filesKey))) {
        files = (await job.getFiles?.()) ?? {};
      }
      if (slot.current !== pending || slot.dead) return;
      const message: JobMessage = {
        type: "job",
        id: pending.id,
        moduleHash: job.moduleHash,
        filesKey: job.filesKey,
        payload,
        files,
        input: job.input,
      };
      slot.worker.postMessage(message);
      if (payload) slot.known.add(job.moduleHash);
      if (files && job.filesKey) slot.known.add(job.filesKey);
    } catch (error) {
      if (slot.current === pending) {
        this.finish(slot, {
          kind: "crashed",
          message: `could not load the module: ${error instanceof Error ? error.message : String(error)}`,
          wallMs: this.elapsed(pending),
        });
        this.dispatch();
      }
    }
  }

  private onWorkerMessage(slot: Slot, message: WorkerMessage): void {
    const pending = slot.current;
    if (!pending || message.type === "ready" || message.id !== pending.id) return;
    switch (message.type) {
      case "miss":
        // The worker evicted it since we last sent it: send it again.
        if (message.what === "module") slot.known.delete(pending.job.moduleHash);
        else if (pending.job.filesKey) slot.known.delete(pending.job.filesKey);
        void this.post(slot, pending, message.what === "module", message.what === "files");
        return;
      case "done":
        this.finish(slot, { kind: "ok", result: message.result, wallMs: this.elapsed(pending) });
        break;
      case "failed":
        this.finish(slot, { kind: "crashed", message: message.message, wallMs: this.elapsed(pending) });
        break;
    }
    this.dispatch();
  }

  private onDeadline(slot: Slot, pending: Pending): void {
    if (slot.current !== pending) return;
    this.finish(slot, { kind: "timeout", wallMs: this.elapsed(pending) });
    slot.dead = true;
    void slot.worker.terminate();
    this.replace(slot);
    this.dispatch();
  }

  private finish(slot: Slot, outcome: PoolOutcome): void {
    const pending = slot.current;
    if (!pending) return;
    slot.current = null;
    clearTimeout(pending.timer);
    pending.resolve(outcome);
  }
}
