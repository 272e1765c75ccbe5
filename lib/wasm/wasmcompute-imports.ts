// The "wasmcompute" import module: WasmCompute's own host functions beyond
// WASI (logging and the key-value store). Every function is synchronous (wasm
// cannot await), takes (ptr, len) pairs for strings and bytes, and reports
// failure as a negative i32 instead of trapping. docs/abi.md is the user-facing
// description of this module; keep the two in step.
import { GuestFault, type GuestMemory } from "./guest-memory";
import { decodeGuestText } from "./guest-text";
import type { LogBudget } from "./log-budget";
import { buildOutboundHttpImports, OutboundHttpState, WASMCOMPUTE_HTTP_FUNCTIONS } from "./outbound-http-imports";
import type { OutboundHttpHost } from "./outbound-http-types";

export type LogLevel = "debug" | "info" | "warn" | "error";
const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

/**
 * The key-value store as the host sees it: synchronous hooks over one app's
 * namespace. The datastore work provides the implementation.
 */
export interface KvHost {
  /** The value, or undefined/null when the key does not exist. */
  get(key: string): Uint8Array | null | undefined;
  set(key: string, value: Uint8Array): void;
  /** True if a key was removed. */
  delete(key: string): boolean;
  /** Keys starting with `prefix`, in any order. */
  list(prefix: string): string[];
  // Optional: without one, its import returns KV_STATUS.UNAVAILABLE.
  /** set with a time to live in seconds (undefined: none). */
  setWithTtl?(key: string, value: Uint8Array, ttlSeconds: number | undefined): void;
  /** Atomic add to a decimal integer value (a missing key counts as 0): the new value. Throws a "KvConflict" error if the value is not an integer. */
  increment?(key: string, by: bigint): bigint;
  /** Writes only if the key holds `expected` (null: does not exist); true if written. */
  compareAndSet?(key: string, expected: Uint8Array | null, value: Uint8Array): boolean;
  /** Up to `limit` keys starting with `prefix` that sort after `after`, in byte order. */
  listPage?(prefix: string, after: string | undefined, limit: number): { keys: string[]; more: boolean };
}

/**
 * What a KvHost throws when the value is not what the call needs (kv_incr on text): the guest
 * gets KV_STATUS.CONFLICT. Matched by name, so hosts need not import this class.
 */
export class KvConflict extends Error {
  override name = "KvConflict";
}

export interface HostCallbacks {
  log?(level: LogLevel, message: string): void;
  /** Without it, every kv_* import returns KV_STATUS.UNAVAILABLE. */
  kv?: KvHost;
  /** Outbound HTTP (http_* and wasi_experimental_http); without it, calls answer "unavailable". */
  http?: OutboundHttpHost;
}

/** Negative results of the kv_* imports (non-negative results are lengths or 0 for success). */
export const KV_STATUS = {
  NOT_FOUND: -1,
  /** No key-value store is attached to this run (e.g. the IDE preview without one). */
  UNAVAILABLE: -2,
  /** Bad pointer/length, key not valid UTF-8, empty key, or a key containing "\n". */
  INVALID: -3,
  /** The store failed (quota, storage error); details go to the log. */
  HOST_ERROR: -4,
  /** kv_cas: the key does not hold the expected value; kv_incr: the value is not a decimal integer. */
  CONFLICT: -5,
} as const;

/** Most keys one kv_list_page call returns. */
export const KV_PAGE_KEYS = 1000;

/** Longest key accepted, in UTF-8 bytes. */
export const KV_MAX_KEY_BYTES = 1024;

class InvalidArgument {}

const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

export function wasmcomputeImports(memory: GuestMemory, host: HostCallbacks = {}): WebAssembly.ModuleImports {
  const table = new WasmcomputeTable(memory);
  table.use(host);
  return table.imports;
}

const NO_CALLBACKS: HostCallbacks = {};

/**
 * The import functions, built once and pointed at each run's callbacks in turn (runWagi keeps
 * one table per pooled WASI host): building ~20 closures per request costs more than the
 * guest's own run for a small handler, and keeps that run's data alive as long as its instance.
 */
export class WasmcomputeTable {
  callbacks: HostCallbacks = NO_CALLBACKS;
  /**
   * The run's log budget (runWagi sets one): log lines go there, bounded, instead of straight to
   * callbacks.log, and runWagi hands the kept ones on when the guest is done.
   */
  budget: LogBudget | null = null;
  readonly imports: WebAssembly.ModuleImports;
  /** The run's outbound HTTP state, shared by `imports` and `wasiHttpImports`. */
  readonly outbound = new OutboundHttpState();
  /** The `wasi_experimental_http` module (WAGI's). */
  readonly wasiHttpImports: WebAssembly.ModuleImports;

  constructor(memory: GuestMemory) {
    const http = buildOutboundHttpImports(memory, this.outbound);
    this.imports = { ...buildImports(memory, this), ...http.wasmcompute };
    this.wasiHttpImports = http.wasi;
  }

  /** Points the table at a run's callbacks. */
  use(callbacks: HostCallbacks): void {
    this.callbacks = callbacks;
    this.outbound.reset();
    this.outbound.host = callbacks.http;
    this.outbound.note = (message) => (this.budget ? this.budget.note("warn", message) : callbacks.log?.("warn", message));
  }

  clear(): void {
    this.callbacks = NO_CALLBACKS;
    this.budget = null;
    this.outbound.reset();
  }
}

function buildImports(memory: GuestMemory, table: { callbacks: HostCallbacks; budget: LogBudget | null }): WebAssembly.ModuleImports {
  const bytes = (ptr: number, len: number): Uint8Array => {
    try {
      return memory.bytes(ptr, len);
    } catch (e) {
      if (e instanceof GuestFault) throw new InvalidArgument();
      throw e;
    }
  };
  const key = (ptr: number, len: number): string => {
    if (len >>> 0 === 0 || len >>> 0 > KV_MAX_KEY_BYTES) throw new InvalidArgument();
    let text: string;
    try {
      text = strictUtf8.decode(bytes(ptr, len));
    } catch (e) {
      if (e instanceof InvalidArgument || e instanceof TypeError) throw new InvalidArgument();
      throw e;
    }
    if (text.includes("\n")) throw new InvalidArgument();
    return text;
  };
  /** Copy `data` out if it fits; always return its full length so the guest can retry. */
  const copyOut = (data: Uint8Array, ptr: number, len: number): number => {
    if (data.length <= len >>> 0) bytes(ptr, data.length).set(data);
    return data.length;
  };
  const kvCall = (fn: (kv: KvHost) => number): number => {
    const host = table.callbacks;
    const kv = host.kv;
    if (!kv) return KV_STATUS.UNAVAILABLE;
    try {
      return fn(kv);
    } catch (e) {
      if (e instanceof InvalidArgument) return KV_STATUS.INVALID;
      if (e instanceof Error && e.name === "KvConflict") return KV_STATUS.CONFLICT;
      const message = `kv: ${e instanceof Error ? e.message : String(e)}`;
      if (table.budget) table.budget.note("error", message);
      else host.log?.("error", message);
      return KV_STATUS.HOST_ERROR;
    }
  };

  return {
    /** log(level: i32, msg_ptr: i32, msg_len: i32) -> () ; level 0 debug, 1 info, 2 warn, 3 error. */
    log: (level: number, ptr: number, len: number): void => {
      const host = table.callbacks;
      const budget = table.budget;
      if (!host.log && !budget) return;
      let message: Uint8Array;
      try {
        message = bytes(ptr, len);
      } catch (e) {
        if (e instanceof InvalidArgument) return;
        throw e;
      }
      // Any bytes: what is not text arrives as \xHH escapes, the same as on stderr. With a budget,
      // only what it keeps is decoded; the rest of a long message is counted, never copied.
      if (budget) budget.log(LOG_LEVELS[level] ?? "info", message);
      else host.log!(LOG_LEVELS[level] ?? "info", decodeGuestText(message));
    },
    /** kv_get(key_ptr, key_len, buf_ptr, buf_len) -> value length (copied only if it fits) | negative status. */
    kv_get: (keyPtr: number, keyLen: number, bufPtr: number, bufLen: number): number =>
      kvCall((kv) => {
        const value = kv.get(key(keyPtr, keyLen));
        if (value === null || value === undefined) return KV_STATUS.NOT_FOUND;
        return copyOut(value, bufPtr, bufLen);
      }),
    /** kv_set(key_ptr, key_len, val_ptr, val_len) -> 0 | negative status. */
    kv_set: (keyPtr: number, keyLen: number, valPtr: number, valLen: number): number =>
      kvCall((kv) => {
        kv.set(key(keyPtr, keyLen), bytes(valPtr, valLen).slice());
        return 0;
      }),
    /** kv_delete(key_ptr, key_len) -> 0 | KV_STATUS.NOT_FOUND | negative status. */
    kv_delete: (keyPtr: number, keyLen: number): number =>
      kvCall((kv) => (kv.delete(key(keyPtr, keyLen)) ? 0 : KV_STATUS.NOT_FOUND)),
    /** kv_list(prefix_ptr, prefix_len, buf_ptr, buf_len) -> byte length of "\n"-joined keys (copied only if it fits). */
    kv_list: (prefixPtr: number, prefixLen: number, bufPtr: number, bufLen: number): number =>
      kvCall((kv) => {
        const prefix = prefixLen >>> 0 === 0 ? "" : strictDecodeOrInvalid(bytes(prefixPtr, prefixLen));
        const keys = kv.list(prefix).sort();
        return copyOut(encoder.encode(keys.join("\n")), bufPtr, bufLen);
      }),
    /** kv_set_ttl(key_ptr, key_len, val_ptr, val_len, ttl_seconds) -> 0 | negative status; ttl 0: no expiry. */
    kv_set_ttl: (keyPtr: number, keyLen: number, valPtr: number, valLen: number, ttl: number): number =>
      kvCall((kv) => {
        if (!kv.setWithTtl) return KV_STATUS.UNAVAILABLE;
        if (ttl < 0) throw new InvalidArgument();
        kv.setWithTtl(key(keyPtr, keyLen), bytes(valPtr, valLen).slice(), ttl === 0 ? undefined : ttl);
        return 0;
      }),
    /** kv_incr(key_ptr, key_len, delta: i64, out_ptr) -> 0, the new value stored as a little-endian i64 at out_ptr | negative status. */
    kv_incr: (keyPtr: number, keyLen: number, delta: bigint, outPtr: number): number =>
      kvCall((kv) => {
        if (!kv.increment) return KV_STATUS.UNAVAILABLE;
        const out = bytes(outPtr, 8);
        const value = kv.increment(key(keyPtr, keyLen), BigInt.asIntN(64, delta));
        new DataView(out.buffer, out.byteOffset, 8).setBigInt64(0, value, true);
        return 0;
      }),
    /** kv_cas(key_ptr, key_len, exp_ptr, exp_len, val_ptr, val_len) -> 0 written | KV_STATUS.CONFLICT | negative status; exp_len -1: "must not exist". */
    kv_cas: (keyPtr: number, keyLen: number, expPtr: number, expLen: number, valPtr: number, valLen: number): number =>
      kvCall((kv) => {
        if (!kv.compareAndSet) return KV_STATUS.UNAVAILABLE;
        const expected = expLen === -1 ? null : bytes(expPtr, expLen).slice();
        return kv.compareAndSet(key(keyPtr, keyLen), expected, bytes(valPtr, valLen).slice()) ? 0 : KV_STATUS.CONFLICT;
      }),
    /**
     * kv_list_page(prefix_ptr, prefix_len, after_ptr, after_len, buf_ptr, buf_len) -> byte length of the next
     * (at most KV_PAGE_KEYS) "\n"-joined keys after `after` (after_len 0: from the start); 0 when none are left.
     */
    kv_list_page: (prefixPtr: number, prefixLen: number, afterPtr: number, afterLen: number, bufPtr: number, bufLen: number): number =>
      kvCall((kv) => {
        if (!kv.listPage) return KV_STATUS.UNAVAILABLE;
        const prefix = prefixLen >>> 0 === 0 ? "" : strictDecodeOrInvalid(bytes(prefixPtr, prefixLen));
        const after = afterLen >>> 0 === 0 ? undefined : key(afterPtr, afterLen);
        return copyOut(encoder.encode(kv.listPage(prefix, after, KV_PAGE_KEYS).keys.join("\n")), bufPtr, bufLen);
      }),
  };
}

function strictDecodeOrInvalid(data: Uint8Array): string {
  try {
    return strictUtf8.decode(data);
  } catch {
    throw new InvalidArgument();
  }
}

/** Names this module offers (checkImports uses it). */
export const WASMCOMPUTE_FUNCTIONS = ["log", "kv_get", "kv_set", "kv_delete", "kv_list", "kv_set_ttl", "kv_incr", "kv_cas", "kv_list_page", ...WASMCOMPUTE_HTTP_FUNCTIONS] as const;
