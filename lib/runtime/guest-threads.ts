/**
 * Starting the pool's guest worker threads (lib/runtime/worker-pool.ts), and starting them early:
 * a thread takes tens of ms to boot, so the gateway process starts its threads before it loads its
 * own code (scripts/gateway.ts), and the pool adopts them when it is created. Only node's built-ins
 * and kv-bridge's channel are imported here, so this loads in a few ms.
 */
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { createKvChannel, type KvChannel } from "./kv-bridge";
import { PROGRESS_CELLS } from "./worker-protocol";

/** JS heap cap of a guest worker (MiB) when the pool is given none. */
export const DEFAULT_WORKER_HEAP_MB = 512;

/** Guest workers when the pool is given no size: one per core, at least 2 (one runaway guest never stalls all). */
export function defaultPoolSize(): number {
  return Math.max(2, os.availableParallelism());
}

/**
 * Guest threads a gateway process has ready before it listens (its pool's `readyFirst`); the
 * others boot after its first answer. One thread boots in the time the process loads its code, and
 * on 2 cores a second would take CPU from that.
 */
export const GATEWAY_FIRST_THREADS = 1;

/** The worker script built beside this code in the server bundle (dist/server/), if this is the bundle. */
export function bundledWorkerScript(): string | undefined {
  const bundled = path.join(import.meta.dirname, "wagi-worker.js");
  return import.meta.filename.endsWith(".js") && existsSync(bundled) ? bundled : undefined;
}

export interface GuestThread {
  worker: Worker;
  /** Shared with the worker: running, last finished and last claimed job ids (worker-protocol.ts). */
  progress: Int32Array;
  /** The parent's end of the worker's kv (and outbound) channel. */
  kv: KvChannel["parent"];
}

export function startGuestThread(script: string, heapMb: number): GuestThread {
  const progress = new Int32Array(new SharedArrayBuffer(PROGRESS_CELLS * Int32Array.BYTES_PER_ELEMENT));
  const kv = createKvChannel();
  const worker = new Worker(script, {
    stdout: false,
    stderr: false,
    // Node's source maps cost a thread's start ≈ 10 ms of CPU (each file's map read and parsed as it
    // loads), and no stack trace of a guest thread is ever printed: the pool reports its errors' messages.
    execArgv: process.execArgv.filter((arg) => arg !== "--enable-source-maps"),
    workerData: { progress, kv: kv.worker },
    transferList: [kv.worker.port],
    resourceLimits: { maxOldGenerationSizeMb: heapMb },
  });
  return { worker, progress, kv: kv.parent };
}

type ThreadEvent = "message" | "error" | "exit";

interface EarlyThread extends GuestThread {
  script: string;
  heapMb: number;
  /** What the thread did before the pool took it (its "ready" above all), replayed to the pool's listeners. */
  events: [ThreadEvent, unknown][];
  stopRecording(): void;
}

const early: EarlyThread[] = [];

/**
 * Starts the guest threads a pool created later in this process will ask for, judged from the
 * environment before the settings are checked (a whole number, or unset for the pool's default):
 * a pool adopts only threads of its script and heap cap, and `discardEarlyThreads` ends the rest.
 * Nothing is started when this is not the bundle (no worker script yet) or in a cluster's primary,
 * which only forks. At most `atMost` (the pool's `readyFirst`). Returns how many it started.
 */
export function startGuestThreadsEarly(
  env: Record<string, string | undefined>,
  isClusterPrimary: boolean,
  { script = bundledWorkerScript(), atMost = 64 }: { script?: string; atMost?: number } = {},
): number {
  const processes = wholeOrDefault(env.GATEWAY_PROCESSES, 1);
  if (!script || (isClusterPrimary && processes !== 1)) return 0;
  const count = wholeOrDefault(env.GATEWAY_WORKERS, defaultPoolSize());
  const heapMb = wholeOrDefault(env.GATEWAY_WORKER_HEAP_MB, DEFAULT_WORKER_HEAP_MB);
  if (count === undefined || heapMb === undefined) return 0;
  const started = Math.min(count, atMost, 64);
  for (let i = 0; i < started; i++) {
    const thread = startGuestThread(script, heapMb);
    const events: [ThreadEvent, unknown][] = [];
    const listeners = (["message", "error", "exit"] as const).map((name) => {
      const listener = (value: unknown) => events.push([name, value]);
      thread.worker.on(name, listener);
      return [name, listener] as const;
    });
    early.push({ ...thread, script, heapMb, events, stopRecording: () => listeners.forEach(([name, listener]) => thread.worker.off(name, listener)) });
  }
  return started;
}

/**
 * An early thread of this script and heap cap, if one is left. The caller attaches its listeners,
 * then calls `replay` to receive what the thread did before (in order).
 */
export function takeEarlyThread(script: string, heapMb: number): (GuestThread & { replay(): void }) | undefined {
  const index = early.findIndex((t) => t.script === script && t.heapMb === heapMb);
  if (index < 0) return undefined;
  const [thread] = early.splice(index, 1);
  thread!.stopRecording();
  const { worker, progress, kv, events } = thread!;
  return { worker, progress, kv, replay: () => events.forEach(([name, value]) => worker.emit(name, value)) };
}

/** Ends the early threads no pool took. */
export function discardEarlyThreads(): void {
  for (const thread of early.splice(0)) {
    thread.stopRecording();
    thread.worker.on("error", () => {});
    void thread.worker.terminate();
  }
}

function wholeOrDefault(value: string | undefined, fallback: number): number | undefined {
  if (value === undefined || value.trim() === "") return fallback;
  return /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
}
