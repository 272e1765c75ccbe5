// @ts-nocheck: AssemblyScript, compiled by asc (this line keeps the project's tsc away from it).
// wasmcompute SDK for AssemblyScript: request, response, log and key-value (docs/abi.md, docs/kv.md).
//
// The console's editor serves this file to its compiler as the "wasmcompute" module
// (lib/editor/as-sdk.ts is generated from it: node scripts/generate-as-sdk.mjs). Outside the editor,
// use it as a package named "wasmcompute" (sdk/assemblyscript/README.md) and build with asc and
// @assemblyscript/wasi-shim.

// @ts-ignore: decorator
@external("wasmcompute", "log")
declare function host_log(level: i32, ptr: usize, len: usize): void;
// @ts-ignore: decorator
@external("wasmcompute", "kv_get")
declare function host_kv_get(keyPtr: usize, keyLen: usize, bufPtr: usize, bufLen: usize): i32;
// @ts-ignore: decorator
@external("wasmcompute", "kv_set")
declare function host_kv_set(keyPtr: usize, keyLen: usize, valPtr: usize, valLen: usize): i32;
// @ts-ignore: decorator
@external("wasmcompute", "kv_set_ttl")
declare function host_kv_set_ttl(keyPtr: usize, keyLen: usize, valPtr: usize, valLen: usize, ttlSeconds: u32): i32;
// @ts-ignore: decorator
@external("wasmcompute", "kv_delete")
declare function host_kv_delete(keyPtr: usize, keyLen: usize): i32;
// @ts-ignore: decorator
@external("wasmcompute", "kv_incr")
declare function host_kv_incr(keyPtr: usize, keyLen: usize, delta: i64, outPtr: usize): i32;
// @ts-ignore: decorator
@external("wasmcompute", "kv_cas")
declare function host_kv_cas(keyPtr: usize, keyLen: usize, expPtr: usize, expLen: i32, valPtr: usize, valLen: usize): i32;
// @ts-ignore: decorator
@external("wasmcompute", "kv_list_page")
declare function host_kv_list_page(prefixPtr: usize, prefixLen: usize, afterPtr: usize, afterLen: usize, bufPtr: usize, bufLen: usize): i32;

// @ts-ignore: decorator
@external("wasmcompute", "http_request")
declare function host_http_request(methodPtr: usize, methodLen: usize, urlPtr: usize, urlLen: usize, headersPtr: usize, headersLen: usize, bodyPtr: usize, bodyLen: usize): i32;
// @ts-ignore: decorator
@external("wasmcompute", "http_status")
declare function host_http_status(handle: i32): i32;
// @ts-ignore: decorator
@external("wasmcompute", "http_headers")
declare function host_http_headers(handle: i32, bufPtr: usize, bufLen: usize): i32;
// @ts-ignore: decorator
@external("wasmcompute", "http_body")
declare function host_http_body(handle: i32, bufPtr: usize, bufLen: usize): i32;
// @ts-ignore: decorator
@external("wasmcompute", "http_close")
declare function host_http_close(handle: i32): i32;
// @ts-ignore: decorator
@external("wasmcompute", "http_error")
declare function host_http_error(bufPtr: usize, bufLen: usize): i32;

export const LOG_DEBUG: i32 = 0;
export const LOG_INFO: i32 = 1;
export const LOG_WARN: i32 = 2;
export const LOG_ERROR: i32 = 3;

/** Writes one line to the app's logs (shown in the preview's log panel). */
export function log(message: string, level: i32 = LOG_INFO): void {
  const bytes = String.UTF8.encode(message);
  host_log(level, changetype<usize>(bytes), <usize>bytes.byteLength);
}

/** One HTTP request, read from the WAGI environment and standard input. */
export class Request {
  constructor(
    public method: string,
    public path: string,
    public query: string,
    public body: string,
  ) {}

  /** A request header (case-insensitive), or null. */
  header(name: string): string | null {
    const key = "HTTP_" + name.toUpperCase().replaceAll("-", "_");
    const env = process.env;
    return env.has(key) ? env.get(key) : null;
  }

  /** A query-string parameter (percent-decoded, "+" is a space), or null. */
  param(name: string): string | null {
    const items = this.query.split("&");
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const eq = item.indexOf("=");
      const key = eq < 0 ? item : item.substring(0, eq);
      if (decodeComponent(key) == name) return eq < 0 ? "" : decodeComponent(item.substring(eq + 1));
    }
    return null;
  }

  /** A field of an application/x-www-form-urlencoded body, or null. */
  formField(name: string): string | null {
    return new Request(this.method, this.path, this.body, "").param(name);
  }
}

function envOr(name: string, fallback: string): string {
  const env = process.env;
  return env.has(name) ? env.get(name) : fallback;
}

/** An environment variable (env: in wasmcompute.yaml, or the app's environment variables), or null. */
export function envVar(name: string): string | null {
  const env = process.env;
  return env.has(name) ? env.get(name) : null;
}

function hexValue(c: i32): i32 {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Percent-decodes a query or form component ("+" is a space). */
export function decodeComponent(text: string): string {
  const src = String.UTF8.encode(text.replaceAll("+", " "));
  const input = Uint8Array.wrap(src);
  const out = new Uint8Array(input.length);
  let n = 0;
  for (let i = 0; i < input.length; i++) {
    const c = <i32>input[i];
    if (c == 37 && i + 2 < input.length) {
      const hi = hexValue(<i32>input[i + 1]);
      const lo = hexValue(<i32>input[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out[n++] = <u8>((hi << 4) | lo);
        i += 2;
        continue;
      }
    }
    out[n++] = <u8>c;
  }
  return String.UTF8.decode(out.slice(0, n).buffer);
}

/**
 * Where the app is mounted (SCRIPT_NAME without a trailing "/", e.g. "/acme/shop"; "" at the root): prefix it to build
 * links and redirects that work on the gateway and in the preview alike.
 */
export function mountPath(): string {
  const path = envOr("SCRIPT_NAME", "");
  // At the root SCRIPT_NAME is "/": "" keeps mountPath() + "/x" from starting with "//".
  return path.endsWith("/") ? path.substring(0, path.length - 1) : path;
}

/** Reads the request: method, PATH_INFO, QUERY_STRING and the whole body from stdin. */
export function request(): Request {
  let body = "";
  const length = I32.parseInt(envOr("CONTENT_LENGTH", "0"));
  if (length > 0) {
    const buffer = new ArrayBuffer(length);
    let read = 0;
    while (read < length) {
      const n = process.stdin.read(buffer, read);
      if (n <= 0) break;
      read += n;
    }
    body = String.UTF8.decode(buffer.slice(0, read));
  }
  let path = envOr("PATH_INFO", "");
  if (path == "") path = "/";
  return new Request(envOr("REQUEST_METHOD", "GET"), path, envOr("QUERY_STRING", ""), body);
}

/** A CGI response: status, headers and a body, written to stdout by send(). */
export class Response {
  headers: string[] = [];
  constructor(
    public status: i32 = 200,
    public body: string = "",
    public contentType: string = "text/plain; charset=utf-8",
  ) {}

  header(name: string, value: string): Response {
    this.headers.push(name + ": " + value);
    return this;
  }

  send(): void {
    let head = "Content-Type: " + this.contentType + "\n";
    if (this.status != 200) head += "Status: " + this.status.toString() + "\n";
    for (let i = 0; i < this.headers.length; i++) head += this.headers[i] + "\n";
    process.stdout.write(head + "\n");
    process.stdout.write(this.body);
  }
}

/** Sends a plain-text response. */
export function text(body: string, status: i32 = 200): void {
  new Response(status, body).send();
}

/** Sends a JSON response; "body" is already-serialized JSON text. */
export function json(body: string, status: i32 = 200): void {
  new Response(status, body, "application/json").send();
}

/** Sends an HTML response. */
export function html(body: string, status: i32 = 200): void {
  new Response(status, body, "text/html; charset=utf-8").send();
}

/** Quotes a string as a JSON string literal. */
export function jsonString(value: string): string {
  let out = "\"";
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c == 34) out += "\\\"";
    else if (c == 92) out += "\\\\";
    else if (c == 10) out += "\\n";
    else if (c == 13) out += "\\r";
    else if (c == 9) out += "\\t";
    else if (c < 32) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += String.fromCharCode(c);
  }
  return out + "\"";
}

/** Key-value results (docs/abi.md): 0 is success, negative results are these codes. */
export const KV_NOT_FOUND: i32 = -1;
/** No store is attached to this run (e.g. a preview without a datastore). */
export const KV_UNAVAILABLE: i32 = -2;
/** Bad key: empty, over 1024 bytes, or containing "\n". */
export const KV_INVALID: i32 = -3;
/** The store refused or failed (a quota, a storage error); the reason is in the app's logs. */
export const KV_HOST_ERROR: i32 = -4;
/** kv.cas found another value; kv.incr found a value that is not an integer. */
export const KV_CONFLICT: i32 = -5;

/**
 * The app's key-value store. Calls never throw: a failed call returns null / 0 / false and sets
 * kv.lastError to the KV_* code (0 after a call that worked). Writes (set, remove) are committed
 * when the request finishes successfully, all together; incr and cas are atomic and durable at once.
 */
export namespace kv {
  /** The status of the last call: 0, or a KV_* code. */
  export let lastError: i32 = 0;

  /** The value as bytes, or null when the key is missing (lastError KV_NOT_FOUND) or the call failed. */
  export function getBytes(key: string): Uint8Array | null {
    const k = String.UTF8.encode(key);
    let buf = new ArrayBuffer(256);
    for (;;) {
      const n = host_kv_get(changetype<usize>(k), <usize>k.byteLength, changetype<usize>(buf), <usize>buf.byteLength);
      if (n < 0) {
        lastError = n;
        return null;
      }
      if (n <= buf.byteLength) {
        lastError = 0;
        return Uint8Array.wrap(buf, 0, n);
      }
      // Too small: the host said how much it needs (the value may change meanwhile: loop).
      buf = new ArrayBuffer(n);
    }
    return null; // not reached (asc wants a return after an endless loop)
  }

  /** The value as UTF-8 text, or null (see getBytes). */
  export function get(key: string): string | null {
    const value = getBytes(key);
    if (value == null) return null;
    return String.UTF8.decode(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
  }

  /** Stores bytes under key, expiring ttlSeconds after the commit (0: never). 0 or a KV_* code. */
  export function setBytes(key: string, value: Uint8Array, ttlSeconds: u32 = 0): i32 {
    const k = String.UTF8.encode(key);
    lastError = ttlSeconds == 0
      ? host_kv_set(changetype<usize>(k), <usize>k.byteLength, value.dataStart, <usize>value.byteLength)
      : host_kv_set_ttl(changetype<usize>(k), <usize>k.byteLength, value.dataStart, <usize>value.byteLength, ttlSeconds);
    return lastError;
  }

  /** Stores text under key (see setBytes). KV_HOST_ERROR when a quota refuses it. */
  export function set(key: string, value: string, ttlSeconds: u32 = 0): i32 {
    return setBytes(key, Uint8Array.wrap(String.UTF8.encode(value)), ttlSeconds);
  }

  /** Deletes key: 0, or KV_NOT_FOUND when it did not exist. */
  export function remove(key: string): i32 {
    const k = String.UTF8.encode(key);
    lastError = host_kv_delete(changetype<usize>(k), <usize>k.byteLength);
    return lastError;
  }

  /** Atomically adds delta to the integer at key (missing: 0) and returns the new value; 0 on failure (see lastError). */
  export function incr(key: string, delta: i64 = 1): i64 {
    const k = String.UTF8.encode(key);
    const out = new ArrayBuffer(8);
    lastError = host_kv_incr(changetype<usize>(k), <usize>k.byteLength, delta, changetype<usize>(out));
    return lastError == 0 ? load<i64>(changetype<usize>(out)) : 0;
  }

  /**
   * Compare-and-set: writes value only if key holds expected (null: only if the key does not
   * exist). True when written; false with lastError KV_CONFLICT when the key held something else.
   */
  export function cas(key: string, expected: string | null, value: string): bool {
    const k = String.UTF8.encode(key);
    const v = String.UTF8.encode(value);
    let expPtr: usize = 0;
    let expLen: i32 = -1;
    let e: ArrayBuffer | null = null;
    if (expected != null) {
      e = String.UTF8.encode(expected);
      expPtr = changetype<usize>(e);
      expLen = e.byteLength;
    }
    lastError = host_kv_cas(changetype<usize>(k), <usize>k.byteLength, expPtr, expLen, changetype<usize>(v), <usize>v.byteLength);
    return lastError == 0;
  }

  /**
   * One page (at most 1000) of the keys starting with prefix that sort after "after" ("" : from
   * the start), in byte order; an empty array when none are left or the call failed (lastError).
   */
  export function listPage(prefix: string, after: string = ""): string[] {
    const p = String.UTF8.encode(prefix);
    const a = String.UTF8.encode(after);
    let buf = new ArrayBuffer(4096);
    for (;;) {
      const n = host_kv_list_page(changetype<usize>(p), <usize>p.byteLength, changetype<usize>(a), <usize>a.byteLength, changetype<usize>(buf), <usize>buf.byteLength);
      if (n < 0) {
        lastError = n;
        return [];
      }
      if (n <= buf.byteLength) {
        lastError = 0;
        if (n == 0) return [];
        return String.UTF8.decode(buf.slice(0, n)).split("\n");
      }
      buf = new ArrayBuffer(n);
    }
    return []; // not reached
  }

  /** Every key starting with prefix, in byte order, fetched page by page (lastError tells whether it stopped early). */
  export function list(prefix: string): string[] {
    const keys: string[] = [];
    let after = "";
    for (;;) {
      const page = listPage(prefix, after);
      if (page.length == 0) return keys;
      for (let i = 0; i < page.length; i++) keys.push(page[i]);
      after = page[page.length - 1];
    }
    return keys; // not reached
  }
}

// ---- Outbound HTTP (docs/abi.md "Outbound HTTP"): only to the origins in allowed_hosts ----------

export const HTTP_NOT_ALLOWED: i32 = -1;
export const HTTP_REFUSED_ADDRESS: i32 = -2;
export const HTTP_INVALID: i32 = -3;
export const HTTP_LIMIT: i32 = -4;
export const HTTP_TIMEOUT: i32 = -5;
export const HTTP_FAILED: i32 = -6;
export const HTTP_UNAVAILABLE: i32 = -7;

/** What an outbound call came back with: error 0 and a status, or a negative code and a message. */
export class HttpResponse {
  status: i32 = 0;
  /** "name:value\n" lines, names lowercase. */
  headers: string = "";
  body: string = "";
  error: i32 = 0;
  /** Why the call failed, in words ("" on success). */
  message: string = "";

  get ok(): bool {
    return this.error == 0;
  }

  /** A response header (case-insensitive), or null. */
  header(name: string): string | null {
    const lines = this.headers.split("\n");
    const key = name.toLowerCase() + ":";
    for (let i = 0; i < lines.length; i++) if (lines[i].startsWith(key)) return lines[i].substring(key.length);
    return null;
  }
}

function hostText(handle: i32, body: bool): string {
  const n = body ? host_http_body(handle, 0, 0) : host_http_headers(handle, 0, 0);
  if (n <= 0) return "";
  const buf = new ArrayBuffer(n);
  if (body) host_http_body(handle, changetype<usize>(buf), <usize>n);
  else host_http_headers(handle, changetype<usize>(buf), <usize>n);
  return String.UTF8.decode(buf);
}

/** Sends METHOD URL with headers ("name:value\n" lines) and a body; blocks until the answer or the request's deadline. */
export function httpRequest(method: string, url: string, headers: string = "", body: string = ""): HttpResponse {
  const m = String.UTF8.encode(method);
  const u = String.UTF8.encode(url);
  const h = String.UTF8.encode(headers);
  const b = String.UTF8.encode(body);
  const res = new HttpResponse();
  const handle = host_http_request(
    changetype<usize>(m), <usize>m.byteLength, changetype<usize>(u), <usize>u.byteLength,
    changetype<usize>(h), <usize>h.byteLength, changetype<usize>(b), <usize>b.byteLength,
  );
  if (handle <= 0) {
    res.error = handle < 0 ? handle : HTTP_FAILED;
    const n = host_http_error(0, 0);
    if (n > 0) {
      const buf = new ArrayBuffer(n);
      host_http_error(changetype<usize>(buf), <usize>n);
      res.message = String.UTF8.decode(buf);
    }
    return res;
  }
  res.status = host_http_status(handle);
  res.headers = hostText(handle, false);
  res.body = hostText(handle, true);
  host_http_close(handle);
  return res;
}

/** GET the URL. */
export function httpGet(url: string, headers: string = ""): HttpResponse {
  return httpRequest("GET", url, headers);
}
