/**
 * The key-value bridge between a guest worker and the gateway's main thread.
 *
 * Guest calls are synchronous (wasm cannot await) but the database is async and lives on the
 * main thread. So each worker gets a MessagePort and a shared Int32 "signal": for every kv_*
 * call the worker posts the request, then blocks in `Atomics.wait` on the signal; the main
 * thread runs the operation on the request's `KvSession` (lib/kv), posts the answer, sets the
 * signal and `Atomics.notify`s; the worker wakes and takes the answer off its port with
 * `receiveMessageOnPort`, still synchronously. Only the calling worker blocks: the main thread
 * never waits, so other requests keep flowing. The worker's job deadline still applies while it
 * is blocked (the pool terminates it), and a late answer to a dead worker is dropped.
 *
 * Nothing here touches a database, so it can be bundled into the worker: the session behind a
 * job (which store, buffering, quotas, commit) is the gateway's business, chosen from the
 * deployment, never from anything the guest says.
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import type { KvSession } from "../deployment-record/ports";
import type { OutboundHttpHost, OutboundRequest, OutboundResult } from "../wasm/outbound-http-types";

/**
 * Meters a request's session: every call a guest makes on it (get, set, delete, list, increment,
 * compare-and-set, also one that fails, e.g. on a quota) adds 1 to `into.kvOps`, which the
 * request log carries into `UsageDaily.kvOps`. Commit and discard are the gateway's, not counted.
 * Calls the guest's own host refuses before they reach the store (an invalid key) are not counted.
 */
export function meterKvSession(session: KvSession | undefined, into: { kvOps?: number }): KvSession | undefined {
  if (!session) return undefined;
  into.kvOps = 0;
  const count = () => void (into.kvOps = (into.kvOps ?? 0) + 1);
  return {
    get: (key) => (count(), session.get(key)),
    set: (key, value, ttlSeconds) => (count(), session.set(key, value, ttlSeconds)),
    delete: (key) => (count(), session.delete(key)),
    list: (prefix, after, limit) => (count(), session.list(prefix, after, limit)),
    increment: (key, by) => (count(), session.increment(key, by)),
    compareAndSet: (key, expected, value, ttlSeconds) => (count(), session.compareAndSet(key, expected, value, ttlSeconds)),
    commit: () => session.commit(),
    discard: () => session.discard(),
  };
}

export type KvOp =
  | { op: "get"; key: string }
  | { op: "set"; key: string; value: Uint8Array; ttlSeconds?: number }
  | { op: "delete"; key: string }
  | { op: "list"; prefix: string; after?: string; limit: number }
  | { op: "increment"; key: string; by: bigint }
  | { op: "cas"; key: string; expected: Uint8Array | null; value: Uint8Array; ttlSeconds?: number }
  /** An outbound HTTP call (lib/outbound): the same channel, so the worker blocks the same way. */
  | { op: "fetch"; request: OutboundRequest };

/** The main thread's side of a job's outbound calls (lib/outbound's OutboundSession fits). */
export interface OutboundPort {
  fetch(request: OutboundRequest): Promise<OutboundResult>;
}

export interface KvRequest {
  seq: number;
  jobId: number;
  call: KvOp;
}

export type KvReply = { seq: number; ok: true; result: unknown } | { seq: number; ok: false; message: string; conflict?: boolean };

/** The worker's end, passed in workerData (the port must also be in transferList). */
export interface KvWorkerEnd {
  port: MessagePort;
  signal: Int32Array;
}

export interface KvChannel {
  worker: KvWorkerEnd;
  parent: { port: MessagePort; signal: Int32Array };
}

export function createKvChannel(): KvChannel {
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  return { worker: { port: port2, signal }, parent: { port: port1, signal } };
}

/** Most keys one kv_list call returns; the paged call has no such limit. */
export const KV_LIST_ALL_MAX = 10_000;

/**
 * Main thread: answers a worker's calls with the session of the job that made them.
 * `sessionOf` returns undefined for a job that is gone or has no store (the guest then sees an
 * error, never another request's data). Returns a function that detaches the bridge.
 */
export function serveKvBridge(
  end: { port: MessagePort; signal: Int32Array },
  sessionOf: (jobId: number) => KvSession | undefined,
  /** The job's outbound HTTP session; undefined: the guest hears "unavailable". */
  outboundOf: (jobId: number) => OutboundPort | undefined = () => undefined,
): () => void {
  const { port, signal } = end;
  const reply = (message: KvReply) => {
    port.postMessage(message);
    // Posted before the signal is set: once the worker sees the signal, the answer is on its port.
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
  };
  const onMessage = (request: KvRequest) => {
    if (request.call.op === "fetch") {
      const outbound = outboundOf(request.jobId);
      if (!outbound) {
        reply({ seq: request.seq, ok: true, result: { ok: false, code: "unavailable", message: "outbound HTTP is not available for this request" } satisfies OutboundResult });
        return;
      }
      outbound.fetch(request.call.request).then(
        (result) => reply({ seq: request.seq, ok: true, result }),
        (error: unknown) => reply({ seq: request.seq, ok: true, result: { ok: false, code: "failed", message: error instanceof Error ? error.message : String(error) } satisfies OutboundResult }),
      );
      return;
    }
    const session = sessionOf(request.jobId);
    if (!session) {
      reply({ seq: request.seq, ok: false, message: "no key-value store is attached to this request" });
      return;
    }
    run(session, request.call).then(
      (result) => reply({ seq: request.seq, ok: true, result }),
      (error: unknown) =>
        reply({
          seq: request.seq,
          ok: false,
          message: error instanceof Error ? error.message : String(error),
          // kv_incr on a value that is not an integer: a status for the guest, not a host failure.
          ...(error instanceof Error && error.name === "KvNotAnInteger" ? { conflict: true } : {}),
        }),
    );
  };
  port.on("message", onMessage);
  port.unref();
  return () => {
    port.off("message", onMessage);
    port.close();
  };
}

async function run(session: KvSession, call: Exclude<KvOp, { op: "fetch" }>): Promise<unknown> {
  switch (call.op) {
    case "get":
      return session.get(call.key);
    case "set":
      return session.set(call.key, call.value, call.ttlSeconds);
    case "delete":
      return session.delete(call.key);
    case "list":
      return session.list(call.prefix, call.after, call.limit);
    case "increment":
      return session.increment(call.key, call.by);
    case "cas":
      return session.compareAndSet(call.key, call.expected, call.value, call.ttlSeconds);
  }
}

/**
 * A failed kv call; the wasm host turns it into KV_STATUS.HOST_ERROR and logs the message, or
 * into KV_STATUS.CONFLICT when its name is "KvConflict" (lib/wasm matches by name).
 */
export class KvBridgeError extends Error {
  constructor(message: string, conflict = false) {
    super(message);
    this.name = conflict ? "KvConflict" : "KvBridgeError";
  }
}

/** The synchronous store a guest sees: lib/wasm's KvHost plus TTL, paging, increment and CAS. */
export interface GuestKv {
  get(key: string): Uint8Array | null;
  set(key: string, value: Uint8Array): void;
  delete(key: string): boolean;
  list(prefix: string): string[];
  setWithTtl(key: string, value: Uint8Array, ttlSeconds: number | undefined): void;
  listPage(prefix: string, after: string | undefined, limit: number): { keys: string[]; more: boolean };
  increment(key: string, by: bigint): bigint;
  compareAndSet(key: string, expected: Uint8Array | null, value: Uint8Array, ttlSeconds?: number): boolean;
}

/**
 * Worker side: a blocking client over the worker's end. One per worker; `forJob` gives the
 * guest-facing store of the job that runs now.
 */
export class KvBridgeClient {
  private seq = 0;

  constructor(
    private readonly end: KvWorkerEnd,
    /** Longest wait for one answer; the job's own deadline normally ends the worker first. */
    private readonly timeoutMs = 60_000,
  ) {}

  call(jobId: number, call: KvOp): unknown {
    const seq = ++this.seq;
    const { port, signal } = this.end;
    Atomics.store(signal, 0, 0);
    port.postMessage({ seq, jobId, call } satisfies KvRequest);
    const deadline = performance.now() + this.timeoutMs;
    for (;;) {
      const left = deadline - performance.now();
      if (left <= 0) throw new KvBridgeError("the key-value store did not answer in time");
      Atomics.wait(signal, 0, 0, left);
      Atomics.store(signal, 0, 0);
      // Drain: answers to calls that timed out earlier are skipped.
      for (let received = receiveMessageOnPort(port); received; received = receiveMessageOnPort(port)) {
        const message = received.message as KvReply;
        if (message.seq !== seq) continue;
        if (!message.ok) throw new KvBridgeError(message.message, message.conflict);
        return message.result;
      }
    }
  }

  /** The guest's outbound HTTP for job `jobId`: each call blocks this worker until the main thread answers. */
  outboundForJob(jobId: number): OutboundHttpHost {
    return {
      fetch: (request) => {
        try {
          return this.call(jobId, { op: "fetch", request }) as OutboundResult;
        } catch (error) {
          return { ok: false, code: "timeout", message: error instanceof Error ? error.message : String(error) };
        }
      },
    };
  }

  forJob(jobId: number): GuestKv {
    const call = (op: KvOp) => this.call(jobId, op);
    return {
      get: (key) => (call({ op: "get", key }) as Uint8Array | null) ?? null,
      set: (key, value) => void call({ op: "set", key, value }),
      setWithTtl: (key, value, ttlSeconds) => void call({ op: "set", key, value, ...(ttlSeconds ? { ttlSeconds } : {}) }),
      delete: (key) => call({ op: "delete", key }) as boolean,
      list: (prefix) => {
        const page = call({ op: "list", prefix, limit: KV_LIST_ALL_MAX }) as { keys: string[]; more: boolean };
        if (page.more) throw new KvBridgeError(`more than ${KV_LIST_ALL_MAX} keys start with "${prefix}": list them in pages`);
        return page.keys;
      },
      listPage: (prefix, after, limit) => call({ op: "list", prefix, after, limit }) as { keys: string[]; more: boolean },
      increment: (key, by) => call({ op: "increment", key, by }) as bigint,
      compareAndSet: (key, expected, value, ttlSeconds) =>
        call({ op: "cas", key, expected, value, ...(ttlSeconds ? { ttlSeconds } : {}) }) as boolean,
    };
  }
}
