// The types of a JavaScript app's world (docs/javascript.md, "Supported API surface"), as one
// .d.ts: the IDE gives it to Monaco's TypeScript service (completions, type errors in index.ts).
// Declares what the engine's web API layer (js-engine/runtime.js) offers, and nothing it lacks
// (no crypto.subtle, no streams beyond the minimal body, no Node APIs). Isomorphic: a string.

export const WORKER_TYPES_FILE = "wasmcompute-worker.d.ts";

// Body's members, written out again in Request and Response: a declared class lists what it implements.
const BODY_MEMBERS = `  readonly bodyUsed: boolean;
  arrayBuffer(): Promise<ArrayBuffer>;
  bytes(): Promise<Uint8Array>;
  blob(): Promise<Blob>;
  json<T = any>(): Promise<T>;
  text(): Promise<string>;`;

export const WORKER_TYPES_DTS = `// The web platform pieces a WasmCompute JavaScript app gets (docs/javascript.md).
type HeadersInit = Headers | [string, string][] | Record<string, string>;
type BodyInit = string | ArrayBuffer | ArrayBufferView | URLSearchParams | Blob | ReadableStream<Uint8Array>;

declare class Headers {
  constructor(init?: HeadersInit);
  append(name: string, value: string): void;
  delete(name: string): void;
  get(name: string): string | null;
  getSetCookie(): string[];
  has(name: string): boolean;
  set(name: string, value: string): void;
  forEach(callback: (value: string, name: string, headers: Headers) => void): void;
  entries(): IterableIterator<[string, string]>;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string>;
  [Symbol.iterator](): IterableIterator<[string, string]>;
}

interface Body {
${BODY_MEMBERS}
}

interface RequestInit {
  method?: string;
  headers?: HeadersInit;
  body?: BodyInit | null;
}

/** The incoming request: \`url\` is the full URL the client asked for. */
declare class Request implements Body {
  constructor(input: string | URL | Request, init?: RequestInit);
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  /** Never aborts. */
  readonly signal: { readonly aborted: boolean };
${BODY_MEMBERS}
  clone(): Request;
}

interface ResponseInit {
  status?: number;
  statusText?: string;
  headers?: HeadersInit;
}

declare class Response implements Body {
  constructor(body?: BodyInit | null, init?: ResponseInit);
  static json(data: unknown, init?: ResponseInit): Response;
  static redirect(url: string | URL, status?: number): Response;
  static error(): Response;
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: Headers;
${BODY_MEMBERS}
  clone(): Response;
}

declare class URLSearchParams {
  constructor(init?: string | Record<string, string> | [string, string][] | URLSearchParams);
  readonly size: number;
  append(name: string, value: string): void;
  delete(name: string): void;
  get(name: string): string | null;
  getAll(name: string): string[];
  has(name: string): boolean;
  set(name: string, value: string): void;
  sort(): void;
  toString(): string;
  forEach(callback: (value: string, name: string, params: URLSearchParams) => void): void;
  entries(): IterableIterator<[string, string]>;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string>;
  [Symbol.iterator](): IterableIterator<[string, string]>;
}

declare class URL {
  constructor(url: string | URL, base?: string | URL);
  static canParse(url: string, base?: string): boolean;
  hash: string;
  host: string;
  hostname: string;
  href: string;
  readonly origin: string;
  password: string;
  pathname: string;
  port: string;
  protocol: string;
  search: string;
  readonly searchParams: URLSearchParams;
  username: string;
  toString(): string;
  toJSON(): string;
}

declare class TextEncoder {
  readonly encoding: "utf-8";
  encode(input?: string): Uint8Array;
}
/** UTF-8 only. */
declare class TextDecoder {
  constructor(label?: "utf-8" | "utf8", options?: { fatal?: boolean; ignoreBOM?: boolean });
  readonly encoding: "utf-8";
  decode(input?: ArrayBuffer | ArrayBufferView, options?: { stream?: boolean }): string;
}

declare class Blob {
  constructor(parts?: (string | ArrayBuffer | ArrayBufferView | Blob)[], options?: { type?: string });
  readonly size: number;
  readonly type: string;
  arrayBuffer(): Promise<ArrayBuffer>;
  bytes(): Promise<Uint8Array>;
  text(): Promise<string>;
  slice(start?: number, end?: number, contentType?: string): Blob;
}

/** A minimal stream: its chunks are collected into the body before the response is written. */
declare class ReadableStream<R = Uint8Array> {
  constructor(source?: { start?(controller: { enqueue(chunk: R): void; close(): void; error(e?: unknown): void }): void | Promise<void> });
}

declare var crypto: {
  getRandomValues<T extends ArrayBufferView | null>(array: T): T;
  randomUUID(): string;
};

/** One line each in the app's logs, with its level. */
declare var console: {
  log(...data: unknown[]): void;
  info(...data: unknown[]): void;
  debug(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
};

declare function setTimeout(callback: (...args: any[]) => void, ms?: number, ...args: any[]): number;
declare function setInterval(callback: (...args: any[]) => void, ms?: number, ...args: any[]): number;
declare function clearTimeout(id: number | undefined): void;
declare function clearInterval(id: number | undefined): void;
declare function queueMicrotask(callback: () => void): void;
declare function atob(data: string): string;
declare function btoa(data: string): string;
/** JSON values only. */
declare function structuredClone<T>(value: T): T;

/** The app's key-value store (docs/kv.md); writes are committed when the request succeeds. */
interface KVNamespace {
  get(key: string, type?: "text"): Promise<string | null>;
  get<T = unknown>(key: string, type: "json"): Promise<T | null>;
  get(key: string, type: "arrayBuffer"): Promise<ArrayBuffer | null>;
  get(key: string, type: "bytes"): Promise<Uint8Array | null>;
  put(key: string, value: string | ArrayBuffer | ArrayBufferView, options?: { expirationTtl?: number }): Promise<void>;
  /** Whether the key existed. */
  delete(key: string): Promise<boolean>;
  list(options?: { prefix?: string; limit?: number; cursor?: string }): Promise<{ keys: { name: string }[]; list_complete: boolean; cursor?: string }>;
  /** Atomic; the new value. Not in Workers KV. */
  increment(key: string, delta?: number): Promise<number>;
}

/** The second argument of fetch: the app's variables and secrets, and its key-value store. */
interface WasmComputeEnv {
  KV: KVNamespace;
  [name: string]: string | KVNamespace | undefined;
}

interface ExecutionContext {
  /** Awaited after the response is written, before the request ends. */
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
}

/** The shape of a JavaScript app's default export. */
interface ExportedHandler<Env = WasmComputeEnv> {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response>;
}
`;
