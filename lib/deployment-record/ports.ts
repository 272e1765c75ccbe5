/**
 * The ports the gateway's request path consumes, as types only: the Node implementations live in
 * lib/runtime (kv-bridge.ts serves a KvSession to a worker, spending-cap.ts answers the 402) and the
 * database-backed ones in lib/kv, lib/logs and lib/billing. Isomorphic, so console services and the
 * browser can name them without importing the gateway.
 */

/** One request's view of its app's store, on the main thread (implemented by lib/kv). */
export interface KvSession {
  get(key: string): Promise<Uint8Array | null>;
  /** Buffered until commit; throws (e.g. a quota error) when it cannot be accepted. */
  set(key: string, value: Uint8Array, ttlSeconds?: number): Promise<void>;
  /** True if the key existed. Buffered until commit. */
  delete(key: string): Promise<boolean>;
  /** Keys starting with `prefix`, after `after`, in byte order, at most `limit`. */
  list(prefix: string, after: string | undefined, limit: number): Promise<{ keys: string[]; more: boolean }>;
  /** Atomic add to a decimal integer value; returns the new value. */
  increment(key: string, by: bigint): Promise<bigint>;
  /** Writes only if the key holds `expected` (null: does not exist); true if it wrote. */
  compareAndSet(key: string, expected: Uint8Array | null, value: Uint8Array, ttlSeconds?: number): Promise<boolean>;
  /** Makes the request's buffered writes durable, all or none. */
  commit(): Promise<void>;
  /** Drops the buffered writes (the guest failed or timed out). */
  discard(): void;
}

/** What a deployment carries when its app has a datastore: one session per request. */
export interface KvAccess {
  open(): KvSession;
}

/** Why the gateway refused or failed a request: `RequestLog.error.code`, and the `code` of its JSON error. */
export type GatewayErrorCode =
  | "bad-request"
  | "not-found"
  | "app-not-found"
  | "route-not-found"
  | "request-too-large"
  | "deadline-exceeded"
  | "out-of-memory"
  | "guest-trap"
  | "response-too-large"
  | "bad-cgi-response"
  | "no-response"
  | "missing-entrypoint"
  | "instantiate-failed"
  | "worker-crashed"
  | "invalid-deployment"
  | "overloaded"
  | "too-many-requests"
  | "storage-failed"
  | "database-unavailable"
  | "database-busy"
  | "spending-cap-reached"
  | "method-not-allowed"
  | "bad-path"
  | "file-not-found"
  | "range-not-satisfiable"
  | "internal";

/** One request as the gateway saw it: what `onLog` receives (lib/logs/log-sink.ts stores it). */
export interface RequestLog {
  requestId: string;
  time: string;
  tenant: string | null;
  app: string | null;
  versionId: string | null;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  /** Guest stderr, one entry per line. */
  stderr: string[];
  /** Lines the guest sent through the host log import. */
  guestLogs: { level: string; message: string }[];
  memoryBytes?: number;
  /** Present when the request failed: the code and an explanation a person can act on. */
  error?: { code: GatewayErrorCode; message: string; detail?: string };
  /** Database ids of the tenant and app, when the deployment carries them (log sink, metering). */
  tenantId?: string;
  appId?: string;
  /** The WAGI route that matched, e.g. "/hello/...". */
  route?: string;
  bytesIn?: number;
  /** Response body bytes sent (its Content-Length). */
  bytesOut?: number;
  /** The app's memory cap for this request (GB-seconds = cap × duration). */
  memoryLimitMb?: number;
  /** Time the guest ran in its worker (instantiate + run), in milliseconds. */
  computeMs?: number;
  /** Key-value operations the request made (metered per day; set where the kv session is known). */
  kvOps?: number;
  /** Outbound HTTP calls the guest made (each redirect hop counts), and their request/response body bytes. */
  outboundCalls?: number;
  outboundBytesOut?: number;
  outboundBytesIn?: number;
  /** false: not metered (a request refused by the spending cap); it is still logged. */
  billable?: boolean;
  /** A schedule's run (docs/schedules.md): the time it was due, ISO 8601 UTC ("manual" for Run now). */
  scheduledAt?: string;
}

/** A tenant's spending cap reached: the gateway answers 402 instead of running the guest. */
export interface SpendingCapRefusal {
  /** The tenant's name, as in its URLs. */
  tenant: string;
  cap: number;
  spent: number;
  currency: string;
  /** "YYYY-MM": the month whose bill reached the cap. */
  month: string;
  /** When serving resumes by itself: the first instant of the next UTC month (ISO). */
  resetsAt: string;
}

/** The gateway's spending-cap check (implemented by lib/billing/spending-cap-cache.ts). */
export interface SpendingCapCheck {
  /** null: serve; a refusal: answer 402. Must be cheap (called on every request) and never throw. */
  check(tenantId: string): SpendingCapRefusal | null | Promise<SpendingCapRefusal | null>;
}
