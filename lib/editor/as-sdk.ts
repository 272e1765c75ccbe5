// The AssemblyScript SDK that user code imports as `import { … } from "wasmcompute"`: a thin layer
// over WAGI (request in environment variables + stdin, CGI response on stdout) and the
// `wasmcompute` host imports of docs/abi.md. It is served to the compiler from memory, beside the
// WASI shim, so that it never appears in (or conflicts with) the user's file tree.
export const AS_SDK_SOURCE = String.raw`// wasmcompute SDK for AssemblyScript: request, response, log and key-value (docs/abi.md).

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
@external("wasmcompute", "kv_delete")
declare function host_kv_delete(keyPtr: usize, keyLen: usize): i32;

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

/** Sends a JSON response; \`json\` is already-serialized JSON text. */
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

/** Key-value calls (docs/abi.md): negative results are the KV_* codes. */
export const KV_NOT_FOUND: i32 = -1;
export const KV_UNAVAILABLE: i32 = -2;
export const KV_INVALID: i32 = -3;
export const KV_HOST_ERROR: i32 = -4;

export namespace kv {
  /** The value, or null when the key is missing or no store is attached (see lastError). */
  export let lastError: i32 = 0;

  export function get(key: string): string | null {
    const k = String.UTF8.encode(key);
    let buf = new ArrayBuffer(256);
    let n = host_kv_get(changetype<usize>(k), <usize>k.byteLength, changetype<usize>(buf), <usize>buf.byteLength);
    if (n > buf.byteLength) {
      buf = new ArrayBuffer(n);
      n = host_kv_get(changetype<usize>(k), <usize>k.byteLength, changetype<usize>(buf), <usize>buf.byteLength);
    }
    if (n < 0) {
      lastError = n;
      return null;
    }
    lastError = 0;
    return String.UTF8.decode(buf.slice(0, n));
  }

  export function set(key: string, value: string): i32 {
    const k = String.UTF8.encode(key);
    const v = String.UTF8.encode(value);
    lastError = host_kv_set(changetype<usize>(k), <usize>k.byteLength, changetype<usize>(v), <usize>v.byteLength);
    return lastError;
  }

  export function remove(key: string): i32 {
    const k = String.UTF8.encode(key);
    lastError = host_kv_delete(changetype<usize>(k), <usize>k.byteLength);
    return lastError;
  }
}
`;
