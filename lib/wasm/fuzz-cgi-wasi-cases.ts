// Property-based fuzzing (fast-check) of the host's edges with the guest: the CGI response
// parser (whatever bytes a guest prints), the request → argv/environment mapping (whatever a
// client sends), and WASI's args/environ marshalling, checked end to end against echo.wasm.
// Run in Node by fuzz-cgi-wasi.test.ts (full runs) and in Chromium by e2e/wasm-host (fewer runs,
// fixed seed). fast-check is passed in by the runner rather than imported, so lib/wasm keeps
// importing only lib/wasm (isomorphic.test.ts); only its types are referenced here.
import { CgiError, parseCgiResponse, type CgiResponse } from "./cgi-response";
import { decodeGuestText, escapeControlChars, splitEscapes } from "./guest-text";
import type { Modules } from "./host-cases";
import { moduleOf } from "./host-cases";
import { runWagi } from "./run-wagi";
import { runWasi } from "./run-wasi";
import { wagiArgs, wagiEnvironment, type WagiRequest } from "./wagi-environment";

type FastCheck = typeof import("fast-check").default;
type Property<Ts> = import("fast-check").IProperty<Ts>;

export interface FuzzParams {
  numRuns: number;
  /** Omitted: fast-check's global seed (lib/testing/fast-check-seed.ts), or a fresh one. */
  seed?: number;
}

/** `failure` names the seed, the shrunk counterexample and what went wrong. */
export interface FuzzResult {
  runs: number;
  failure: string | null;
}

export interface FuzzCase {
  name: string;
  /** Modules under fixtures/wasm by key, loaded by the caller. */
  fixtures?: Readonly<Record<string, string>>;
  /** Runs under vitest. */
  numRuns: number;
  /** Runs in the browser, where the whole list shares one page. */
  browserRuns: number;
  run(fc: FastCheck, modules: Modules, params: FuzzParams): FuzzResult;
  /** Every run holds: the runner expects { ...expected, runs: params.numRuns }. */
  expected: { failure: null };
}

const HOLDS = { failure: null } as const;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;

function check<Ts>(fc: FastCheck, property: Property<Ts>, params: FuzzParams): FuzzResult {
  const details = fc.check(property, params.seed === undefined ? { numRuns: params.numRuns } : { numRuns: params.numRuns, seed: params.seed });
  if (!details.failed) return { runs: details.numRuns, failure: null };
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  return {
    runs: details.numRuns,
    failure: `seed ${details.seed}, path ${JSON.stringify(details.counterexamplePath)}, counterexample ${fc.stringify(details.counterexample)}: ${error}`,
  };
}

function ensure(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(what);
}

/** Deep equality of JSON-like values, object key order ignored (as vitest's toEqual). */
function ensureEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(sortKeys(actual));
  const e = JSON.stringify(sortKeys(expected));
  ensure(a === e, `${what}: got ${a}, expected ${e}`);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, sortKeys(v)]));
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function parseOrRefuse(output: Uint8Array): CgiResponse | null {
  try {
    return parseCgiResponse(output);
  } catch (e) {
    ensure(e instanceof CgiError, `threw ${String(e)}, not a CgiError`);
    ensure(e.message.length > 10, `CgiError message too short: ${JSON.stringify(e.message)}`);
    return null;
  }
}

function ensureWellFormed(response: CgiResponse): void {
  ensure(Number.isInteger(response.status), `status ${response.status} is not an integer`);
  // 1xx are interim answers, never a final response (refused as bad CGI).
  ensure(response.status >= 200 && response.status <= 999, `status ${response.status} outside 200..999`);
  for (const [name, value] of response.headers) {
    ensure(TOKEN.test(name), `header name ${JSON.stringify(name)} is not a lower-case token`);
    ensure(name !== "status", "Status came back as a header");
    ensure(!/[\r\n]/.test(value), `header value ${JSON.stringify(value)} holds a line break`);
    ensure(value === value.trim(), `header value ${JSON.stringify(value)} is not trimmed`);
  }
  ensure(response.headers.some(([n]) => n === "content-type" || n === "location"), "neither Content-Type nor Location");
}

function concat(head: Uint8Array, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

/** The arbitraries the cases share, built on the fast-check the runner passed. */
function arbitraries(fc: FastCheck) {
  // Header names that are HTTP tokens, and values a guest may print (no line breaks, trimmed).
  const headerName = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,20}$/).filter((n) => n.toLowerCase() !== "status");
  const headerValue = fc.string({ unit: "grapheme", maxLength: 40 }).map((v) => v.replace(/[\r\n]/g, " ").trim());
  const bodyBytes = fc.uint8Array({ maxLength: 512 });
  // Request pieces a client controls: path and query (any characters, percent escapes, broken
  // escapes), header names and values, the method.
  const urlPiece = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.string({ unit: "binary", maxLength: 10 }),
    fc.constantFrom("%", "%zz", "%e2%82", "%00", "%2F", "..", "+", "&&", "=", "?", "#", "%25", "\u{1F600}"),
  );
  const request = fc.record({
    path: fc.array(urlPiece, { maxLength: 5 }).map((parts) => "/" + parts.map((p) => encodeURI(p).replace(/[?#]/g, encodeURIComponent)).join("/")),
    query: fc.array(urlPiece, { maxLength: 6 }).map((parts) => parts.map((p) => p.replace(/[#]/g, "%23")).join("&")),
    headers: fc.array(fc.tuple(fc.oneof(headerName, fc.constantFrom("REQUEST_METHOD", "Path-Info", "Query_String", "Content-Length", "Authorization", "Cookie")), headerValue), { maxLength: 6 }),
    method: fc.oneof(fc.constantFrom("GET", "post", "DELETE"), fc.stringMatching(/^[A-Za-z]{1,10}$/)),
    route: fc.constantFrom("/...", "/", "/api/..."),
  });
  return { headerName, headerValue, bodyBytes, request };
}

type FuzzRequest = { path: string; query: string; headers: [string, string][]; method: string; route: string };

function wagiRequest({ path, query, headers, method, route }: FuzzRequest, body: Uint8Array): WagiRequest {
  return { method, url: `http://app.test${path}${query ? `?${query}` : ""}`, headers, body, remoteAddr: "10.1.2.3", route };
}

type Echoed = { args: string[]; env: Record<string, string> };

/** What echo.wasm printed on stdout under runWasi: CGI headers, a blank line, then its argv and environment as JSON. */
function echoedStdout(stdout: Uint8Array): Echoed {
  const out = decoder.decode(stdout);
  return JSON.parse(out.slice(out.indexOf("\n\n") + 2)) as Echoed;
}

export const FUZZ_CGI_WASI_CASES: FuzzCase[] = [
  {
    name: "parseCgiResponse, arbitrary bytes: a CgiError with a message, or a well-formed response",
    numRuns: 2000,
    browserRuns: 300,
    run: (fc, _modules, params) =>
      check(fc, fc.property(fc.uint8Array({ maxLength: 600 }), (output) => {
        const response = parseOrRefuse(output);
        if (response) ensureWellFormed(response);
      }), params),
    expected: HOLDS,
  },
  {
    name: "parseCgiResponse, near-valid output: header-like lines, junk lines, LF and CRLF, blank lines, a body",
    numRuns: 2000,
    browserRuns: 300,
    run: (fc, _modules, params) => {
      const { headerName, headerValue, bodyBytes } = arbitraries(fc);
      const line = fc.oneof(
        fc.tuple(headerName, headerValue).map(([n, v]) => `${n}: ${v}`),
        fc.constantFrom("Content-Type: text/plain", "Status: 404 Not Found", "Status: 99", "Status: 100 Continue", "Status: 101", "Status: 1000", "Status: abc", "Status:", "Location: /x", ": no name", "no colon", " leading: space", "X:", ""),
        fc.string({ maxLength: 30 }),
      );
      const output = fc.tuple(fc.array(line, { maxLength: 8 }), fc.constantFrom("\n", "\r\n"), fc.boolean(), bodyBytes)
        .map(([lines, eol, blank, body]) => concat(encoder.encode(lines.join(eol) + (blank ? eol + eol : "")), body));
      return check(fc, fc.property(output, (out) => {
        const response = parseOrRefuse(out);
        if (response) ensureWellFormed(response);
      }), params);
    },
    expected: HOLDS,
  },
  {
    name: "parseCgiResponse, a valid response round-trips: status, headers in order, body byte for byte",
    numRuns: 1000,
    browserRuns: 150,
    run: (fc, _modules, params) => {
      const { headerName, headerValue, bodyBytes } = arbitraries(fc);
      const valid = fc.record({
        status: fc.option(fc.integer({ min: 200, max: 999 }), { nil: undefined }),
        reason: fc.constantFrom("", " OK", " Not Found", " Whatever it says"),
        headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 }),
        contentType: fc.constantFrom("text/plain", "application/json", "text/html; charset=utf-8"),
        eol: fc.constantFrom("\n", "\r\n"),
        body: bodyBytes,
      });
      return check(fc, fc.property(valid, ({ status, reason, headers, contentType, eol, body }) => {
        const lines = [`Content-Type: ${contentType}`, ...headers.map(([n, v]) => `${n}: ${v}`), ...(status === undefined ? [] : [`Status: ${status}${reason}`])];
        const response = parseCgiResponse(concat(encoder.encode(lines.join(eol) + eol + eol), body));
        ensure(response.status === (status ?? 200), `status ${response.status}, expected ${status ?? 200}`);
        ensureEqual(response.headers, [["content-type", contentType], ...headers.map(([n, v]) => [n.toLowerCase(), v])], "headers");
        ensure(bytesEqual(response.body, body), "body differs");
      }), params);
    },
    expected: HOLDS,
  },
  {
    name: "request → argv and environment: never throws; CGI variables cannot be overridden by headers; credentials never pass",
    numRuns: 1000,
    browserRuns: 150,
    run: (fc, _modules, params) =>
      check(fc, fc.property(arbitraries(fc).request, (r) => {
        const req = wagiRequest(r, new Uint8Array(3));
        const env = wagiEnvironment(req, "app.test", "80");
        const argv = wagiArgs(req);
        ensureEqual(
          [env.REQUEST_METHOD, env.CONTENT_LENGTH, env.GATEWAY_INTERFACE, env.REMOTE_ADDR],
          [r.method.toUpperCase(), "3", "CGI/1.1", "10.1.2.3"],
          "REQUEST_METHOD, CONTENT_LENGTH, GATEWAY_INTERFACE, REMOTE_ADDR",
        );
        ensure(!("HTTP_AUTHORIZATION" in env), "HTTP_AUTHORIZATION passed");
        for (const [name, value] of Object.entries(env)) {
          ensure(typeof value === "string", `${name} is a ${typeof value}`);
          ensure(!name.includes("="), `variable name ${JSON.stringify(name)} holds "="`);
        }
        ensure(argv.length >= 1, "empty argv");
        ensure(argv.every((a) => typeof a === "string"), "argv holds a non-string");
      }), params),
    expected: HOLDS,
  },
  {
    name: "request → argv and environment: what the guest receives is exactly what the host mapped (runWagi with echo.wasm)",
    fixtures: { echo: "echo.wasm" },
    numRuns: 150,
    browserRuns: 40,
    run: (fc, modules, params) => {
      const echo = moduleOf(modules, "echo");
      const { headerValue, request } = arbitraries(fc);
      const appEnv = fc.dictionary(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,15}$/), headerValue.filter((v) => !v.includes("\0")), { maxKeys: 4 });
      return check(fc, fc.property(request, appEnv, (r, env) => {
        const req = wagiRequest(r, new Uint8Array(0));
        const result = runWagi({ module: echo, request: req, env });
        ensure(result.error === undefined, `runWagi failed: ${result.error?.message}`);
        const seen = JSON.parse(decoder.decode(result.body)) as Echoed;
        const expectedEnv = { ...env, ...wagiEnvironment(req, "app.test", "80") };
        // C strings end at NUL: the guest sees each value up to its first NUL byte.
        const cString = (s: string) => s.split("\0")[0]!;
        ensureEqual(seen.args, wagiArgs(req).map(cString), "argv");
        ensureEqual(seen.env, Object.fromEntries(Object.entries(expectedEnv).map(([k, v]) => [k, cString(v)])), "environment");
      }), params);
    },
    expected: HOLDS,
  },
  {
    name: "WASI marshalling: arbitrary argv and environment strings reach the guest intact (runWasi with echo.wasm)",
    fixtures: { echo: "echo.wasm" },
    numRuns: 300,
    browserRuns: 60,
    run: (fc, modules, params) => {
      const echo = moduleOf(modules, "echo");
      const str = fc.string({ unit: "binary", maxLength: 60 }).filter((s) => !s.includes("\0"));
      const key = fc.string({ unit: "binary", minLength: 1, maxLength: 20 }).filter((k) => !k.includes("=") && !k.includes("\0") && encoder.encode(k).length < 200);
      return check(fc, fc.property(fc.array(str, { minLength: 1, maxLength: 12 }), fc.dictionary(key, str, { maxKeys: 12 }), (args, env) => {
        const run = runWasi({ module: echo, args, env, stdin: new Uint8Array(0) });
        ensure(run.error === undefined, `runWasi failed: ${run.error?.message}`);
        ensure(run.exitCode === 0, `exit code ${run.exitCode}`);
        const seen = echoedStdout(run.stdout);
        // Strings cross as UTF-8: lone surrogates become U+FFFD, as TextEncoder writes them.
        const wire = (s: string) => decoder.decode(encoder.encode(s));
        ensureEqual(seen.args, args.map(wire), "argv");
        ensureEqual(seen.env, Object.fromEntries(Object.entries(env).map(([k, v]) => [wire(k), wire(v)])), "environment");
      }), params);
    },
    expected: HOLDS,
  },
  {
    name: "WASI marshalling: huge or many arguments fail cleanly or arrive whole, never crash the host",
    fixtures: { echo: "echo.wasm" },
    numRuns: 30,
    browserRuns: 10,
    run: (fc, modules, params) => {
      const echo = moduleOf(modules, "echo");
      return check(fc, fc.property(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 200_000 }), (count, size) => {
        const args = ["echo", ...Array.from({ length: count }, (_, i) => String(i)), "x".repeat(size)];
        const run = runWasi({ module: echo, args, stdin: new Uint8Array(0) });
        if (run.error) {
          ensure(run.error.message.length > 0, "an error without a message");
          return;
        }
        ensureEqual(echoedStdout(run.stdout).args, args, "argv");
      }), params);
    },
    expected: HOLDS,
  },
  {
    name: "guest bytes → log text: the escapes give back every byte; no NUL, control character or lone UTF-16 half is left",
    numRuns: 2000,
    browserRuns: 300,
    run: (fc, _modules, params) => {
      // Random bytes, and pieces that matter: escape look-alikes, backslashes, controls, line
      // breaks, UTF-8 sequences whole and cut, the BOM.
      const piece = fc.oneof(
        fc.uint8Array({ maxLength: 8 }).map((b) => Array.from(b)),
        fc.constantFrom("\\x41", "\\xff", "\\xA", "\\x", "\\", "x0", "7f", "\r\n", "\r", "\n", "\t", "é", "€", "😀", "\uFEFF", "a").map((t) => Array.from(encoder.encode(t))),
        fc.constantFrom([0], [0x1b], [0x7f], [0xff], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0x80]),
      );
      const bytes = fc.array(piece, { maxLength: 12 }).map((pieces) => Uint8Array.from(pieces.flat()));
      // A leading BOM is text the guest wrote: kept, not eaten.
      const exact = new TextDecoder("utf-8", { ignoreBOM: true });
      return check(fc, fc.property(bytes, (input) => {
        const text = decodeGuestText(input);
        ensure(!/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)/.test(text), `${JSON.stringify(text)} holds a control character`);
        ensure(exact.decode(encoder.encode(text)) === text, `${JSON.stringify(text)} holds a lone UTF-16 half`);
        ensure(escapeControlChars(text) === text, `escapeControlChars changed ${JSON.stringify(text)}`);
        ensure(bytesEqual(bytesOfLogText(text), input), `${JSON.stringify(text)} does not give back ${JSON.stringify(Array.from(input))}`);
        // Valid UTF-8 without controls or escape look-alikes is kept as it is.
        const plain = exact.decode(input);
        if (!plain.includes("\uFFFD") && !/[\x00-\x08\x0b-\x1f\x7f\\]/.test(plain)) ensure(text === plain, `${JSON.stringify(plain)} came out as ${JSON.stringify(text)}`);
      }), params);
    },
    expected: HOLDS,
  },
];

/** The reading docs/logs.md gives: each `\xHH` is the byte HH, everything else is UTF-8 text. */
function bytesOfLogText(text: string): Uint8Array {
  const out: number[] = [];
  for (const part of splitEscapes(text)) {
    if (!part.escaped) out.push(...encoder.encode(part.text));
    else for (let i = 0; i < part.text.length; i += 4) out.push(parseInt(part.text.slice(i + 2, i + 4), 16));
  }
  return Uint8Array.from(out);
}
