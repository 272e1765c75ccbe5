import type { WagiRequest, WagiResponse } from "../wasm";
import type { MemoryShape } from "./recycled-memory";

/**
 * Messages between the gateway (parent) and its guest workers. Everything here must survive
 * structured clone: plain objects, Uint8Array, and WebAssembly.Module (shared, not copied).
 */

/** The request as lib/wasm runs it (structured-clone safe). */
export type WagiJobRequest = WagiRequest;

export interface WagiJobInput {
  /** "wagi" serves a request; "routes" runs the module's `_routes` export and answers JSON routes. */
  mode?: "wagi" | "routes";
  request: WagiJobRequest;
  entrypoint: string;
  env: Record<string, string>;
  maxResponseBytes: number;
  /** Most 64 KiB pages the module's memory may have (its declared maximum is lowered to this). */
  maxMemoryPages?: number;
  /** The gateway attached the app's key-value store: the guest's kv_* calls go over the kv bridge. */
  kv?: boolean;
  /** The gateway serves this job's outbound HTTP calls over the same bridge. */
  outbound?: boolean;
}

/** How a module reaches a worker that does not have it yet. */
export type ModulePayload = { module: WebAssembly.Module; memory: MemoryShape | null } | { bytes: Uint8Array };

export interface JobMessage {
  type: "job";
  id: number;
  moduleHash: string;
  /** Names the read-only /app file tree; absent when the app has no files. */
  filesKey?: string;
  /** Sent only when the parent believes the worker lacks the module (or after a "miss"). */
  payload?: ModulePayload;
  files?: Record<string, Uint8Array>;
  input: WagiJobInput;
}

/** Answer to a "miss": what the worker lacked for job `id`. */
export interface PayloadMessage {
  type: "payload";
  id: number;
  payload?: ModulePayload;
  files?: Record<string, Uint8Array>;
}

/** Jobs for a worker, in the order it must run them (one message per event-loop turn). */
export interface JobsMessage {
  type: "jobs";
  jobs: JobMessage[];
}

export type ParentMessage = JobsMessage | PayloadMessage;

/**
 * Int32 slots shared with each worker (workerData.progress), so the parent knows, without a
 * message round trip, which job a worker is running when it has to stop or lose it.
 */
export const PROGRESS_RUNNING = 0;
export const PROGRESS_FINISHED = 1;
/**
 * The last job the worker claimed (it claims each job with a compare-and-swap from the previous
 * one before starting it). The parent takes back the jobs lined up behind a long-running one by
 * swapping that one's id for minus the last id it takes back: if the swap succeeds, the worker
 * has not started any of them and never will (it drops every id up to that one when its next
 * claim meets the mark), so they can run elsewhere at once instead of waiting for its deadline.
 */
export const PROGRESS_STARTED = 2;
export const PROGRESS_CELLS = 3;

export interface GuestLogLine {
  level: string;
  message: string;
}

/**
 * Why the guest's run did not end in a response (lib/wasm's GuestError, or output that is not a
 * CGI response): decided where the run happened, carried as data, never read back out of a message.
 */
export type GuestFailure = NonNullable<WagiResponse["error"]>;

/**
 * Why a job got no answer from its guest at all, decided by the pool where it happened, so the
 * gateway picks its answer by this, never by the text of `message`:
 * - worker: the worker thread exited, threw, or was stopped for another job's sake
 * - host-memory: the worker hit its heap cap (ERR_WORKER_OUT_OF_MEMORY), or the process went
 *   over the pool's RSS bound while this job ran (the guest made the host hold too much)
 * - load: the module or files could not be loaded for the worker
 * - load-database: the same, because the database is away
 * - closed: the pool was closed
 */
export type CrashCause = "worker" | "host-memory" | "load" | "load-database" | "closed";

export interface WagiJobResult {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
  stderr: string;
  exitCode: number;
  memoryBytes: number;
  error?: GuestFailure;
  /** Lines the guest sent through the host log import, if any. */
  logs: GuestLogLine[];
  /** Time inside runWagi (instantiate + run), in milliseconds. */
  runMs: number;
  /** Whether this job had to compile (bytes) or adopt (module) the module in the worker. */
  moduleMiss: boolean;
}

export type WorkerMessage =
  /** `tid`: the worker thread's id on Linux, so the pool can lower its CPU priority. */
  | { type: "ready"; tid?: number }
  | { type: "miss"; id: number; what: "module" | "files" }
  | { type: "done"; id: number; result: WagiJobResult }
  | { type: "failed"; id: number; message: string };
