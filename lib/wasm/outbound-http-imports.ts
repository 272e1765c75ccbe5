// Outbound HTTP for guests, two ways in:
// - `wasi_experimental_http` exactly as WAGI provides it (deislabs/wasi-experimental-http, its
//   wasmtime host): req, close, header_get, headers_get_all, body_read, with its error numbers, so
//   WAGI modules built with the `wasi-experimental-http` crate run unchanged;
// - `wasmcompute`'s http_* functions (docs/abi.md), which also tell the guest why a call failed.
// Both ask the run's OutboundHttpHost (synchronous: the worker blocks while the gateway's main
// thread makes the call), and share the run's response handles.
import { GuestFault, type GuestMemory } from "./guest-memory";
import type { OutboundErrorCode, OutboundHttpHost, OutboundRequest } from "./outbound-http-types";

/** wasi_experimental_http's error numbers (its witx `http_error`). */
export const WASI_HTTP_ERROR = {
  SUCCESS: 0,
  INVALID_HANDLE: 1,
  MEMORY_NOT_FOUND: 2,
  MEMORY_ACCESS_ERROR: 3,
  BUFFER_TOO_SMALL: 4,
  HEADER_NOT_FOUND: 5,
  UTF8_ERROR: 6,
  DESTINATION_NOT_ALLOWED: 7,
  INVALID_METHOD: 8,
  INVALID_ENCODING: 9,
  INVALID_URL: 10,
  REQUEST_ERROR: 11,
  RUNTIME_ERROR: 12,
  TOO_MANY_SESSIONS: 13,
} as const;

/** Negative results of wasmcompute's http_* imports; http_error tells the reason in words. */
export const HTTP_STATUS = {
  /** The scheme, host and port are not in the app's allowed_hosts. */
  NOT_ALLOWED: -1,
  /** A loopback, private, link-local or metadata address (also after a redirect). */
  REFUSED_ADDRESS: -2,
  /** Bad pointer/length, a URL that is not http(s), a bad method or header, an unknown handle. */
  INVALID: -3,
  /** Past the request's outbound caps (calls, bytes). */
  LIMIT: -4,
  /** No answer inside the request's deadline. */
  TIMEOUT: -5,
  /** The connection or the upstream failed. */
  FAILED: -6,
  /** Outbound HTTP is not available here. */
  UNAVAILABLE: -7,
} as const;

const STATUS_OF: Record<OutboundErrorCode, number> = {
  "not-allowed": HTTP_STATUS.NOT_ALLOWED,
  "refused-address": HTTP_STATUS.REFUSED_ADDRESS,
  invalid: HTTP_STATUS.INVALID,
  limit: HTTP_STATUS.LIMIT,
  timeout: HTTP_STATUS.TIMEOUT,
  failed: HTTP_STATUS.FAILED,
  unavailable: HTTP_STATUS.UNAVAILABLE,
};

const WASI_ERROR_OF: Record<OutboundErrorCode, number> = {
  "not-allowed": WASI_HTTP_ERROR.DESTINATION_NOT_ALLOWED,
  "refused-address": WASI_HTTP_ERROR.DESTINATION_NOT_ALLOWED,
  invalid: WASI_HTTP_ERROR.INVALID_URL,
  limit: WASI_HTTP_ERROR.TOO_MANY_SESSIONS,
  timeout: WASI_HTTP_ERROR.REQUEST_ERROR,
  failed: WASI_HTTP_ERROR.REQUEST_ERROR,
  unavailable: WASI_HTTP_ERROR.RUNTIME_ERROR,
};

/** Responses open at once in one run (each holds its body until closed or the run ends). */
export const MAX_OPEN_RESPONSES = 64;

interface OpenResponse {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
  /** body_read's position. */
  read: number;
}

/** A run's outbound state: its host, open responses and the last error's text. Reset per run. */
export class OutboundHttpState {
  host: OutboundHttpHost | undefined;
  /** Where refusals are noted for the app's log (the run's log), besides the guest's own view. */
  note: ((message: string) => void) | undefined;
  readonly responses = new Map<number, OpenResponse>();
  nextHandle = 1;
  lastError = "";

  reset(): void {
    this.host = undefined;
    this.note = undefined;
    this.responses.clear();
    this.nextHandle = 1;
    this.lastError = "";
  }
}

class BadArgument {
  constructor(readonly wasiError: number = WASI_HTTP_ERROR.MEMORY_ACCESS_ERROR) {}
}

const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** The `wasmcompute` http_* functions and the `wasi_experimental_http` module, over one state. */
export function buildOutboundHttpImports(memory: GuestMemory, state: OutboundHttpState): { wasmcompute: Record<string, (...args: never[]) => number>; wasi: WebAssembly.ModuleImports } {
  const bytes = (ptr: number, len: number): Uint8Array => {
    try {
      return memory.bytes(ptr, len);
    } catch (e) {
      if (e instanceof GuestFault) throw new BadArgument();
      throw e;
    }
  };
  const text = (ptr: number, len: number): string => {
    try {
      return strictUtf8.decode(bytes(ptr, len));
    } catch (e) {
      if (e instanceof TypeError) throw new BadArgument(WASI_HTTP_ERROR.UTF8_ERROR);
      throw e;
    }
  };
  const writeU32 = (ptr: number, value: number) => {
    const out = bytes(ptr, 4);
    new DataView(out.buffer, out.byteOffset, 4).setUint32(0, value >>> 0, true);
  };
  const writeU16 = (ptr: number, value: number) => {
    const out = bytes(ptr, 2);
    new DataView(out.buffer, out.byteOffset, 2).setUint16(0, value, true);
  };
  /** "name:value\n" lines, the wire form of both import modules. */
  const parseHeaders = (raw: string): [string, string][] => {
    const headers: [string, string][] = [];
    for (const line of raw.split("\n")) {
      if (line.trim() === "") continue;
      const colon = line.indexOf(":");
      if (colon <= 0) throw new BadArgument(WASI_HTTP_ERROR.INVALID_ENCODING);
      headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).replace(/\r$/, "").trim()]);
    }
    return headers;
  };
  const serializeHeaders = (headers: [string, string][]) => encoder.encode(headers.map(([n, v]) => `${n}:${v}\n`).join(""));

  /** Runs a call; a refusal is remembered (http_error) and noted in the log. Returns a handle or the failure. */
  const call = (request: OutboundRequest): { handle: number } | { code: OutboundErrorCode } => {
    const host = state.host;
    if (!host) {
      state.lastError = "outbound HTTP is not available here";
      return { code: "unavailable" };
    }
    if (state.responses.size >= MAX_OPEN_RESPONSES) {
      state.lastError = `more than ${MAX_OPEN_RESPONSES} responses are open: close the ones you have read`;
      state.note?.(`outbound ${request.method} ${hostOf(request.url)}: ${state.lastError}`);
      return { code: "limit" };
    }
    const result = host.fetch(request);
    if (!result.ok) {
      state.lastError = result.message;
      return { code: result.code };
    }
    const handle = state.nextHandle++;
    state.responses.set(handle, { status: result.status, headers: result.headers, body: result.body, read: 0 });
    state.lastError = "";
    return { handle };
  };
  const guarded = (fn: () => number, onBad: (bad: BadArgument) => number) => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof BadArgument) return onBad(e);
      throw e;
    }
  };
  const wasiCall = (fn: () => number) => guarded(fn, (bad) => bad.wasiError);
  const ourCall = (fn: () => number) => guarded(fn, () => HTTP_STATUS.INVALID);
  const copyOut = (data: Uint8Array, ptr: number, len: number): number => {
    if (data.length <= len >>> 0) bytes(ptr, data.length).set(data);
    return data.length;
  };

  const wasi: WebAssembly.ModuleImports = {
    req: (urlPtr: number, urlLen: number, methodPtr: number, methodLen: number, headersPtr: number, headersLen: number, bodyPtr: number, bodyLen: number, statusPtr: number, handlePtr: number): number =>
      wasiCall(() => {
        const url = text(urlPtr, urlLen);
        const method = text(methodPtr, methodLen);
        if (!/^[A-Za-z]{1,20}$/.test(method)) return WASI_HTTP_ERROR.INVALID_METHOD;
        const headers = parseHeaders(text(headersPtr, headersLen));
        const outcome = call({ method, url, headers, body: bytes(bodyPtr, bodyLen).slice() });
        if ("code" in outcome) return WASI_ERROR_OF[outcome.code];
        writeU16(statusPtr, state.responses.get(outcome.handle)!.status);
        writeU32(handlePtr, outcome.handle);
        return WASI_HTTP_ERROR.SUCCESS;
      }),
    close: (handle: number): number => {
      state.responses.delete(handle >>> 0);
      return WASI_HTTP_ERROR.SUCCESS;
    },
    header_get: (handle: number, namePtr: number, nameLen: number, valuePtr: number, valueLen: number, writtenPtr: number): number =>
      wasiCall(() => {
        const response = state.responses.get(handle >>> 0);
        if (!response) return WASI_HTTP_ERROR.INVALID_HANDLE;
        const name = text(namePtr, nameLen).toLowerCase();
        const found = response.headers.find(([n]) => n === name);
        if (!found) return WASI_HTTP_ERROR.HEADER_NOT_FOUND;
        const value = encoder.encode(found[1]);
        if (value.length > valueLen >>> 0) return WASI_HTTP_ERROR.BUFFER_TOO_SMALL;
        bytes(valuePtr, value.length).set(value);
        writeU32(writtenPtr, value.length);
        return WASI_HTTP_ERROR.SUCCESS;
      }),
    headers_get_all: (handle: number, bufPtr: number, bufLen: number, writtenPtr: number): number =>
      wasiCall(() => {
        const response = state.responses.get(handle >>> 0);
        if (!response) return WASI_HTTP_ERROR.INVALID_HANDLE;
        const all = serializeHeaders(response.headers);
        if (all.length > bufLen >>> 0) return WASI_HTTP_ERROR.BUFFER_TOO_SMALL;
        bytes(bufPtr, all.length).set(all);
        writeU32(writtenPtr, all.length);
        return WASI_HTTP_ERROR.SUCCESS;
      }),
    body_read: (handle: number, bufPtr: number, bufLen: number, readPtr: number): number =>
      wasiCall(() => {
        const response = state.responses.get(handle >>> 0);
        if (!response) return WASI_HTTP_ERROR.INVALID_HANDLE;
        const available = Math.min(bufLen >>> 0, response.body.length - response.read);
        bytes(bufPtr, available).set(response.body.subarray(response.read, response.read + available));
        writeU32(readPtr, available);
        response.read += available;
        return WASI_HTTP_ERROR.SUCCESS;
      }),
  };

  const wasmcompute = {
    /** http_request(method, url, headers "name:value\n"…, body: (ptr, len) pairs) -> handle (> 0) | negative HTTP_STATUS. */
    http_request: (methodPtr: number, methodLen: number, urlPtr: number, urlLen: number, headersPtr: number, headersLen: number, bodyPtr: number, bodyLen: number): number =>
      ourCall(() => {
        let request: OutboundRequest;
        try {
          request = { method: text(methodPtr, methodLen), url: text(urlPtr, urlLen), headers: parseHeaders(text(headersPtr, headersLen)), body: bytes(bodyPtr, bodyLen).slice() };
        } catch (e) {
          if (e instanceof BadArgument) state.lastError = "the method, URL, headers or body is not readable (bad pointer, length or UTF-8, or a header line without a colon)";
          throw e;
        }
        const outcome = call(request);
        return "code" in outcome ? STATUS_OF[outcome.code] : outcome.handle;
      }),
    /** http_status(handle) -> the response's status code | HTTP_STATUS.INVALID. */
    http_status: (handle: number): number => state.responses.get(handle >>> 0)?.status ?? HTTP_STATUS.INVALID,
    /** http_headers(handle, buf, len) -> byte length of its "name:value\n" lines (copied only if they fit). */
    http_headers: (handle: number, bufPtr: number, bufLen: number): number =>
      ourCall(() => {
        const response = state.responses.get(handle >>> 0);
        return response ? copyOut(serializeHeaders(response.headers), bufPtr, bufLen) : HTTP_STATUS.INVALID;
      }),
    /** http_body(handle, buf, len) -> the body's byte length (copied only if it fits). */
    http_body: (handle: number, bufPtr: number, bufLen: number): number =>
      ourCall(() => {
        const response = state.responses.get(handle >>> 0);
        return response ? copyOut(response.body, bufPtr, bufLen) : HTTP_STATUS.INVALID;
      }),
    /** http_close(handle) -> 0: frees the response. */
    http_close: (handle: number): number => {
      state.responses.delete(handle >>> 0);
      return 0;
    },
    /** http_error(buf, len) -> byte length of why the last http_request failed ("" after a success; copied only if it fits). */
    http_error: (bufPtr: number, bufLen: number): number => ourCall(() => copyOut(encoder.encode(state.lastError), bufPtr, bufLen)),
  };
  return { wasmcompute, wasi };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url.slice(0, 100);
  }
}

export const WASMCOMPUTE_HTTP_FUNCTIONS = ["http_request", "http_status", "http_headers", "http_body", "http_close", "http_error"] as const;
export const WASI_HTTP_MODULE = "wasi_experimental_http";
export const WASI_HTTP_FUNCTIONS = ["req", "close", "header_get", "headers_get_all", "body_read"] as const;
