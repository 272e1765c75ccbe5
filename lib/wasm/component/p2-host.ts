// The WASI 0.2 interfaces of the wasi:http/proxy world (plus the cli, random and filesystem ones
// toolchains' adapters import), implemented for jco's glue with our limits. Isomorphic like the
// rest of lib/wasm: the gateway's workers and the IDE's preview worker run this same code.
//
// jco's conventions: a resource is a class whose instances the glue maps to handles (it checks
// `instanceof` the class given in the imports); a function returning `result<T, E>` returns T or
// throws `{ payload: E }`; variants are `{ tag, val }`; u64 is a bigint; list<u8> a Uint8Array.
// Anything else thrown (an Error) unwinds the guest as a trap: that is how limits stop it.
//
// The classes are made once per thread; everything a request owns hangs off the run's
// `ComponentRun`, which `withRun` makes current while the guest runs (runs are synchronous).
import { OutputSink, OutputTooLarge } from "../output-sink";
import type { OutboundErrorCode, OutboundHttpHost, OutboundResult } from "../outbound-http-types";
import { sleepUntil } from "../wasi-host";
import { joinBytes } from "../wasm-binary";

type Bytes = Uint8Array;

/** Stops the guest: it called wasi:cli/exit. */
export class ComponentExit extends Error {
  constructor(readonly ok: boolean) {
    super(ok ? "the component called exit(ok)" : "the component called exit(err)");
  }
}

export interface ComponentResponseParts {
  status: number;
  headers: [string, string][];
  body: Bytes[];
  bodyBytes: number;
  trailers: [string, string][] | null;
  finished: boolean;
}

/** What one request gives the guest, and what the guest gave back. */
export class ComponentRun {
  response: ComponentResponseParts | null = null;
  /** set() with an error-code: the guest's own failure, answered as a 500. */
  responseError: string | null = null;
  readonly logs: OutputSink;
  bodyBytesLeft: number;
  outboundCalls = 0;

  constructor(
    readonly request: { method: string; pathWithQuery: string; scheme: "http" | "https"; authority: string; headers: [string, Bytes][]; body: Bytes },
    readonly env: [string, string][],
    readonly maxResponseBytes: number,
    logBudget: { left: number },
    readonly http: OutboundHttpHost | undefined,
  ) {
    this.logs = new OutputSink("logs");
    this.logs.reset(Infinity, Infinity, logBudget);
    this.bodyBytesLeft = maxResponseBytes;
  }
}

let current: ComponentRun | null = null;

function run(): ComponentRun {
  if (!current) throw new Error("a WASI call outside of a request");
  return current;
}

/** Runs `fn` with `r` as the current request (nested runs restore the outer one). */
export function withRun<T>(r: ComponentRun, fn: () => T): T {
  const outer = current;
  current = r;
  try {
    return fn();
  } finally {
    current = outer;
  }
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();
const err = (payload: unknown) => ({ payload });

// ---- wasi:io ----------------------------------------------------------------------------------

class IoError {
  constructor(readonly message: string, readonly code?: unknown) {}
  toDebugString(): string {
    return this.message;
  }
}

class Pollable {
  /** performance.now() at which it is ready; 0 = ready now. `fire` runs once, on the first wait. */
  constructor(private readyAt = 0, private fire?: () => void) {}
  ready(): boolean {
    this.settle();
    return performance.now() >= this.readyAt;
  }
  block(): void {
    this.settle();
    sleepUntil(this.readyAt);
  }
  settle(): void {
    const f = this.fire;
    this.fire = undefined;
    f?.();
  }
  get at(): number {
    return this.readyAt;
  }
}

function poll(list: Pollable[]): Uint32Array {
  if (list.length === 0) throw new Error("poll with an empty list");
  for (const p of list) p.settle();
  const earliest = Math.min(...list.map((p) => p.at));
  sleepUntil(earliest);
  const now = performance.now();
  const ready: number[] = [];
  list.forEach((p, i) => p.at <= now && ready.push(i));
  return Uint32Array.from(ready);
}

const CLOSED = { tag: "closed" } as const;

/** Reads from bytes held in memory (request bodies, responses of outbound calls, stdin). */
class InputStream {
  private at = 0;
  constructor(private readonly bytes: Bytes) {}
  read(len: bigint): Bytes {
    if (this.at >= this.bytes.length) throw err(CLOSED);
    const n = Math.min(Number(BigInt.asUintN(32, len > 0xffffffffn ? 0xffffffffn : len)), this.bytes.length - this.at);
    const out = this.bytes.slice(this.at, this.at + n);
    this.at += n;
    return out;
  }
  blockingRead(len: bigint): Bytes {
    return this.read(len);
  }
  skip(len: bigint): bigint {
    return BigInt(this.read(len).length);
  }
  blockingSkip(len: bigint): bigint {
    return this.skip(len);
  }
  subscribe(): Pollable {
    return new Pollable();
  }
}

/** Where an output stream's bytes go; `write` may throw to stop the guest (a cap). */
interface Sink {
  write(bytes: Bytes): void;
  closed?: () => boolean;
}

// Writes are accepted whole: check-write reports room for this much at a time.
const WRITE_BUDGET = 1n << 20n;

class OutputStream {
  constructor(private readonly sink: Sink) {}
  private put(bytes: Bytes): void {
    if (this.sink.closed?.()) throw err(CLOSED);
    this.sink.write(bytes);
  }
  checkWrite(): bigint {
    if (this.sink.closed?.()) throw err(CLOSED);
    return WRITE_BUDGET;
  }
  write(contents: Bytes): void {
    this.put(contents);
  }
  blockingWriteAndFlush(contents: Bytes): void {
    this.put(contents);
  }
  flush(): void {}
  blockingFlush(): void {}
  subscribe(): Pollable {
    return new Pollable();
  }
  writeZeroes(len: bigint): void {
    this.put(new Uint8Array(Number(len > WRITE_BUDGET ? WRITE_BUDGET : len)));
  }
  blockingWriteZeroesAndFlush(len: bigint): void {
    this.writeZeroes(len);
  }
  splice(src: InputStream, len: bigint): bigint {
    const bytes = src.read(len);
    this.put(bytes);
    return BigInt(bytes.length);
  }
  blockingSplice(src: InputStream, len: bigint): bigint {
    return this.splice(src, len);
  }
}

// ---- wasi:http/types --------------------------------------------------------------------------

// RFC 9110 token characters: a header name is one or more of these.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Hop-by-hop headers the host manages (wasmtime refuses the same ones).
const FORBIDDEN = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "http2-settings", "te"]);
const MAX_FIELDS = 100;
const MAX_FIELD_BYTES = 64 * 1024;

function checkValue(value: Bytes): void {
  for (const b of value) if (b === 0x0a || b === 0x0d || b === 0x00) throw err({ tag: "invalid-syntax" });
}

class Fields {
  private list: [string, Bytes][] = [];
  private immutable = false;
  private bytes = 0;

  static fromList(entries: [string, Bytes][]): Fields {
    const f = new Fields();
    for (const [name, value] of entries) f.append(name, value);
    return f;
  }
  /** Host-made fields the guest may only read. */
  static frozen(entries: [string, Bytes][]): Fields {
    const f = new Fields();
    f.list = entries.map(([n, v]) => [n.toLowerCase(), v]);
    f.immutable = true;
    return f;
  }
  freeze(): this {
    this.immutable = true;
    return this;
  }
  private writable(name: string): string {
    if (this.immutable) throw err({ tag: "immutable" });
    if (!TOKEN.test(name)) throw err({ tag: "invalid-syntax" });
    const lower = name.toLowerCase();
    if (FORBIDDEN.has(lower)) throw err({ tag: "forbidden" });
    return lower;
  }
  get(name: string): Bytes[] {
    const lower = name.toLowerCase();
    return this.list.filter(([n]) => n === lower).map(([, v]) => v);
  }
  has(name: string): boolean {
    const lower = name.toLowerCase();
    return this.list.some(([n]) => n === lower);
  }
  set(name: string, values: Bytes[]): void {
    const lower = this.writable(name);
    values.forEach(checkValue);
    this.remove(lower);
    for (const v of values) this.add(lower, v);
  }
  delete(name: string): void {
    this.remove(this.writable(name));
  }
  append(name: string, value: Bytes): void {
    const lower = this.writable(name);
    checkValue(value);
    this.add(lower, value);
  }
  entries(): [string, Bytes][] {
    return this.list.map(([n, v]) => [n, v]);
  }
  clone(): Fields {
    const f = new Fields();
    f.list = this.entries();
    f.bytes = this.bytes;
    return f;
  }
  private add(name: string, value: Bytes): void {
    // A guest that piles up headers is stopped, not given the host's memory.
    if (this.list.length >= MAX_FIELDS || this.bytes + name.length + value.length > MAX_FIELD_BYTES) {
      throw new Error(`more than ${MAX_FIELDS} header fields or ${MAX_FIELD_BYTES} bytes of them`);
    }
    this.bytes += name.length + value.length;
    this.list.push([name, value.slice()]);
  }
  private remove(name: string): void {
    this.list = this.list.filter(([n]) => n !== name);
    this.bytes = this.list.reduce((s, [n, v]) => s + n.length + v.length, 0);
  }
}

const METHODS = new Set(["get", "head", "post", "put", "delete", "connect", "options", "trace", "patch"]);
type Method = { tag: string; val?: string };
const methodOf = (m: string): Method => (METHODS.has(m.toLowerCase()) ? { tag: m.toLowerCase() } : { tag: "other", val: m });
const methodName = (m: Method): string => (m.tag === "other" ? String(m.val) : m.tag.toUpperCase());
type Scheme = { tag: "HTTP" | "HTTPS" | "other"; val?: string };

class IncomingRequest {
  private consumed = false;
  private readonly headerFields: Fields;
  constructor(private readonly req: ComponentRun["request"]) {
    this.headerFields = Fields.frozen(req.headers);
  }
  method(): Method {
    return methodOf(this.req.method);
  }
  pathWithQuery(): string | undefined {
    return this.req.pathWithQuery;
  }
  scheme(): Scheme {
    return { tag: this.req.scheme === "https" ? "HTTPS" : "HTTP" };
  }
  authority(): string | undefined {
    return this.req.authority;
  }
  headers(): Fields {
    return this.headerFields;
  }
  consume(): IncomingBody {
    if (this.consumed) throw err(undefined);
    this.consumed = true;
    return new IncomingBody(this.req.body, null);
  }
}

class IncomingBody {
  private streamed = false;
  constructor(private readonly bytes: Bytes, private readonly trailers: [string, Bytes][] | null) {}
  stream(): InputStream {
    if (this.streamed) throw err(undefined);
    this.streamed = true;
    return new InputStream(this.bytes);
  }
  static finish(body: IncomingBody): FutureTrailers {
    return new FutureTrailers(body.trailers);
  }
}

class FutureTrailers {
  private taken = false;
  constructor(private readonly trailers: [string, Bytes][] | null) {}
  subscribe(): Pollable {
    return new Pollable();
  }
  get(): unknown {
    if (this.taken) return { tag: "err", val: undefined };
    this.taken = true;
    return { tag: "ok", val: { tag: "ok", val: this.trailers ? Fields.frozen(this.trailers) : undefined } };
  }
}

/** The body of a response or of an outbound request: its stream once, then finish. */
class OutgoingBody {
  private streamTaken = false;
  finished = false;
  constructor(private readonly sink: Sink & { finish(trailers: Fields | undefined): void }) {}
  write(): OutputStream {
    if (this.streamTaken) throw err(undefined);
    this.streamTaken = true;
    return new OutputStream({ write: (b) => this.sink.write(b), closed: () => this.finished });
  }
  static finish(body: OutgoingBody, trailers: Fields | undefined): void {
    body.finished = true;
    body.sink.finish(trailers);
  }
}

class OutgoingResponse {
  private status = 200;
  private bodyTaken = false;
  readonly parts: ComponentResponseParts;
  constructor(private readonly headerFields: Fields) {
    headerFields.freeze();
    this.parts = { status: 200, headers: [], body: [], bodyBytes: 0, trailers: null, finished: false };
  }
  statusCode(): number {
    return this.status;
  }
  setStatusCode(status: number): void {
    if (status < 100 || status > 999) throw err(undefined);
    this.status = status;
  }
  headers(): Fields {
    return this.headerFields;
  }
  body(): OutgoingBody {
    if (this.bodyTaken) throw err(undefined);
    this.bodyTaken = true;
    const r = run();
    const parts = this.parts;
    return new OutgoingBody({
      write(bytes) {
        if (bytes.length > r.bodyBytesLeft) throw new OutputTooLarge("the response body", r.maxResponseBytes);
        r.bodyBytesLeft -= bytes.length;
        parts.body.push(bytes.slice());
        parts.bodyBytes += bytes.length;
      },
      finish(trailers) {
        parts.finished = true;
        if (trailers) parts.trailers = textFields(trailers.entries());
      },
    });
  }
  /** The response as it stands when the guest hands it over. */
  seal(): ComponentResponseParts {
    this.parts.status = this.status;
    this.parts.headers = textFields(this.headerFields.entries());
    return this.parts;
  }
}

class ResponseOutparam {
  private used = false;
  static set(param: ResponseOutparam, response: { tag: "ok"; val: OutgoingResponse } | { tag: "err"; val: { tag: string; val?: unknown } }): void {
    if (param.used) throw new Error("response-outparam.set called twice");
    param.used = true;
    const r = run();
    if (response.tag === "ok") r.response = response.val.seal();
    else r.responseError = `it answered with error-code ${response.val.tag}${response.val.val !== undefined ? ` (${String(response.val.val)})` : ""}`;
  }
}

function textFields(entries: [string, Bytes][]): [string, string][] {
  return entries.map(([n, v]) => [n, fromUtf8.decode(v)]);
}

// ---- outbound: wasi:http/outgoing-handler -----------------------------------------------------

class RequestOptions {
  private timeouts: Record<string, bigint | undefined> = {};
  connectTimeout(): bigint | undefined {
    return this.timeouts.connect;
  }
  setConnectTimeout(d: bigint | undefined): void {
    this.timeouts.connect = d;
  }
  firstByteTimeout(): bigint | undefined {
    return this.timeouts.firstByte;
  }
  setFirstByteTimeout(d: bigint | undefined): void {
    this.timeouts.firstByte = d;
  }
  betweenBytesTimeout(): bigint | undefined {
    return this.timeouts.betweenBytes;
  }
  setBetweenBytesTimeout(d: bigint | undefined): void {
    this.timeouts.betweenBytes = d;
  }
}

class OutgoingRequest {
  private m: Method = { tag: "get" };
  private path: string | undefined = undefined;
  private sch: Scheme | undefined = undefined;
  private auth: string | undefined = undefined;
  private bodyTaken = false;
  readonly chunks: Bytes[] = [];
  constructor(private readonly headerFields: Fields) {
    headerFields.freeze();
  }
  body(): OutgoingBody {
    if (this.bodyTaken) throw err(undefined);
    this.bodyTaken = true;
    const chunks = this.chunks;
    return new OutgoingBody({ write: (b) => void chunks.push(b.slice()), finish() {} });
  }
  method(): Method {
    return this.m;
  }
  setMethod(m: Method): void {
    if (m.tag === "other" && !TOKEN.test(String(m.val))) throw err(undefined);
    this.m = m;
  }
  pathWithQuery(): string | undefined {
    return this.path;
  }
  setPathWithQuery(p: string | undefined): void {
    if (p !== undefined && /[\s\0]/.test(p)) throw err(undefined);
    this.path = p;
  }
  scheme(): Scheme | undefined {
    return this.sch;
  }
  setScheme(s: Scheme | undefined): void {
    this.sch = s;
  }
  authority(): string | undefined {
    return this.auth;
  }
  setAuthority(a: string | undefined): void {
    if (a !== undefined && /[\s/?#@\0]/.test(a)) throw err(undefined);
    this.auth = a;
  }
  headers(): Fields {
    return this.headerFields;
  }
  url(): string {
    const scheme = this.sch?.tag === "other" ? String(this.sch.val) : this.sch?.tag === "HTTP" ? "http" : "https";
    return `${scheme}://${this.auth ?? ""}${this.path ?? "/"}`;
  }
}

type ErrorCode = { tag: string; val?: unknown };

/** How an outbound failure reads to a wasi:http guest (its error-code variant). */
function errorCodeOf(code: OutboundErrorCode, message: string): ErrorCode {
  switch (code) {
    case "not-allowed":
      return { tag: "HTTP-request-denied" };
    case "refused-address":
      return { tag: "destination-IP-prohibited" };
    case "invalid":
      return { tag: "HTTP-request-URI-invalid" };
    case "limit":
      return { tag: "connection-limit-reached" };
    case "timeout":
      return { tag: "HTTP-response-timeout" };
    default:
      return { tag: "internal-error", val: message };
  }
}

class FutureIncomingResponse {
  private result: OutboundResult | null = null;
  private taken = false;
  constructor(private readonly request: OutgoingRequest) {}
  /** The call itself, made when the guest first waits for it (its body is written by then). */
  private settle(): OutboundResult {
    if (this.result) return this.result;
    const r = run();
    const body = joinBytes(this.request.chunks);
    const headers = textFields(this.request.headers().entries());
    this.result = r.http
      ? r.http.fetch({ method: methodName(this.request.method()), url: this.request.url(), headers, body })
      : { ok: false, code: "unavailable", message: "outbound HTTP is not available here" };
    return this.result;
  }
  subscribe(): Pollable {
    return new Pollable(0, () => void this.settle());
  }
  get(): unknown {
    if (this.taken) return { tag: "err", val: undefined };
    const result = this.settle();
    this.taken = true;
    if (!result.ok) return { tag: "ok", val: { tag: "err", val: errorCodeOf(result.code, result.message) } };
    const headers = result.headers.map(([n, v]) => [n, utf8.encode(v)] as [string, Bytes]);
    return { tag: "ok", val: { tag: "ok", val: new IncomingResponse(result.status, headers, result.body) } };
  }
}

class IncomingResponse {
  private consumed = false;
  private readonly headerFields: Fields;
  constructor(private readonly code: number, headers: [string, Bytes][], private readonly bytes: Bytes) {
    this.headerFields = Fields.frozen(headers);
  }
  status(): number {
    return this.code;
  }
  headers(): Fields {
    return this.headerFields;
  }
  consume(): IncomingBody {
    if (this.consumed) throw err(undefined);
    this.consumed = true;
    return new IncomingBody(this.bytes, null);
  }
}

function handleOutgoing(request: OutgoingRequest, _options: RequestOptions | undefined): FutureIncomingResponse {
  const r = run();
  r.outboundCalls++;
  return new FutureIncomingResponse(request);
}

// ---- wasi:cli, clocks, random, filesystem -----------------------------------------------------

const logSink: Sink = { write: (bytes) => run().logs.write(bytes) };
const EMPTY = new Uint8Array(0);

class TerminalInput {}
class TerminalOutput {}

function randomBytes(len: bigint): Bytes {
  const n = Number(len);
  if (n > 1 << 20) throw new Error("get-random-bytes: more than 1 MiB asked at once");
  const out = new Uint8Array(n);
  for (let at = 0; at < n; at += 65536) crypto.getRandomValues(out.subarray(at, Math.min(n, at + 65536)));
  return out;
}
const randomU64 = () => new BigUint64Array(crypto.getRandomValues(new BigUint64Array(1)).buffer)[0]!;

const nowNs = () => BigInt(Math.round(performance.now() * 1e6));

class Descriptor {}
class DirectoryEntryStream {}

/** The import object for jco's glue: one per thread, the same for every run. */
export const p2Imports = {
  "wasi:io/error": { Error: IoError },
  "wasi:io/poll": { Pollable, poll },
  "wasi:io/streams": { InputStream, OutputStream },
  "wasi:http/types": {
    Fields,
    IncomingRequest,
    OutgoingRequest,
    RequestOptions,
    ResponseOutparam,
    IncomingResponse,
    IncomingBody,
    FutureTrailers,
    OutgoingResponse,
    OutgoingBody,
    FutureIncomingResponse,
    httpErrorCode: (e: IoError) => e.code as ErrorCode | undefined,
  },
  "wasi:http/outgoing-handler": { handle: handleOutgoing },
  "wasi:clocks/monotonic-clock": {
    now: nowNs,
    resolution: () => 1000n,
    subscribeInstant: (when: bigint) => new Pollable(Number(when) / 1e6),
    subscribeDuration: (d: bigint) => new Pollable(performance.now() + Number(d) / 1e6),
  },
  "wasi:clocks/wall-clock": {
    now: () => {
      const ms = Date.now();
      return { seconds: BigInt(Math.floor(ms / 1000)), nanoseconds: (ms % 1000) * 1e6 };
    },
    resolution: () => ({ seconds: 0n, nanoseconds: 1e6 }),
  },
  "wasi:random/random": { getRandomBytes: randomBytes, getRandomU64: randomU64 },
  "wasi:random/insecure": { getInsecureRandomBytes: randomBytes, getInsecureRandomU64: randomU64 },
  "wasi:random/insecure-seed": { insecureSeed: () => [randomU64(), randomU64()] },
  "wasi:cli/environment": { getEnvironment: () => run().env, getArguments: () => [], initialCwd: () => undefined },
  "wasi:cli/exit": {
    exit: (status: { tag: "ok" | "err" }) => {
      throw new ComponentExit(status.tag === "ok");
    },
  },
  "wasi:cli/stdin": { getStdin: () => new InputStream(EMPTY) },
  "wasi:cli/stdout": { getStdout: () => new OutputStream(logSink) },
  "wasi:cli/stderr": { getStderr: () => new OutputStream(logSink) },
  "wasi:cli/terminal-input": { TerminalInput },
  "wasi:cli/terminal-output": { TerminalOutput },
  "wasi:cli/terminal-stdin": { getTerminalStdin: () => undefined },
  "wasi:cli/terminal-stdout": { getTerminalStdout: () => undefined },
  "wasi:cli/terminal-stderr": { getTerminalStderr: () => undefined },
  // No directories are preopened: adapters import these, nothing can reach a descriptor.
  "wasi:filesystem/types": { Descriptor, DirectoryEntryStream, filesystemErrorCode: () => undefined },
  "wasi:filesystem/preopens": { getDirectories: () => [] },
};

/** The handler's two arguments for this run. */
export function handlerArguments(r: ComponentRun): [IncomingRequest, ResponseOutparam] {
  return [new IncomingRequest(r.request), new ResponseOutparam()];
}

export { utf8 as componentTextEncoder };
