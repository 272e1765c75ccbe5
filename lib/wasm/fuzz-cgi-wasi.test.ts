// Property-based fuzzing (fast-check) of the host's edges with the guest: the CGI response
// parser (whatever bytes a guest prints), the request → argv/environment mapping (whatever a
// client sends), and WASI's args/environ marshalling, checked end to end against echo.wasm.
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CgiError, parseCgiResponse } from "./cgi-response";
import { runWagi } from "./run-wagi";
import { runWasi } from "./run-wasi";
import { wagiArgs, wagiEnvironment, type WagiRequest } from "./wagi-environment";

const encoder = new TextEncoder();
const echo = new WebAssembly.Module(readFileSync(path.resolve(import.meta.dirname, "../../fixtures/wasm/echo.wasm")));
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;

function parseOrRefuse(bytes: Uint8Array) {
  try {
    return parseCgiResponse(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(CgiError);
    expect((e as Error).message.length).toBeGreaterThan(10);
    return null;
  }
}

function expectWellFormed(response: NonNullable<ReturnType<typeof parseOrRefuse>>) {
  expect(Number.isInteger(response.status)).toBe(true);
  expect(response.status).toBeGreaterThanOrEqual(100);
  expect(response.status).toBeLessThanOrEqual(999);
  for (const [name, value] of response.headers) {
    expect(name).toMatch(TOKEN);
    expect(name).not.toBe("status");
    expect(value).not.toMatch(/[\r\n]/);
    expect(value).toBe(value.trim());
  }
  expect(response.headers.some(([n]) => n === "content-type" || n === "location")).toBe(true);
}

// Header names that are HTTP tokens, and values a guest may print (no line breaks, trimmed).
const headerName = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,20}$/).filter((n) => n.toLowerCase() !== "status");
const headerValue = fc.string({ unit: "grapheme", maxLength: 40 }).map((v) => v.replace(/[\r\n]/g, " ").trim());
const bodyBytes = fc.uint8Array({ maxLength: 512 });

describe("parseCgiResponse under fuzzing", () => {
  it("arbitrary bytes: a CgiError with a message, or a well-formed response", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const response = parseOrRefuse(bytes);
        if (response) expectWellFormed(response);
      }),
      { numRuns: 2000 },
    );
  });

  it("near-valid output: header-like lines, junk lines, LF and CRLF, blank lines, a body", () => {
    const line = fc.oneof(
      fc.tuple(headerName, headerValue).map(([n, v]) => `${n}: ${v}`),
      fc.constantFrom("Content-Type: text/plain", "Status: 404 Not Found", "Status: 99", "Status: 1000", "Status: abc", "Status:", "Location: /x", ": no name", "no colon", " leading: space", "X:", ""),
      fc.string({ maxLength: 30 }),
    );
    const output = fc.tuple(fc.array(line, { maxLength: 8 }), fc.constantFrom("\n", "\r\n"), fc.boolean(), bodyBytes).map(([lines, eol, blank, body]) => {
      const head = encoder.encode(lines.join(eol) + (blank ? eol + eol : ""));
      const out = new Uint8Array(head.length + body.length);
      out.set(head);
      out.set(body, head.length);
      return out;
    });
    fc.assert(
      fc.property(output, (bytes) => {
        const response = parseOrRefuse(bytes);
        if (response) expectWellFormed(response);
      }),
      { numRuns: 2000 },
    );
  });

  it("a valid response round-trips: status, headers in order, body byte for byte", () => {
    const valid = fc.record({
      status: fc.option(fc.integer({ min: 100, max: 999 }), { nil: undefined }),
      reason: fc.constantFrom("", " OK", " Not Found", " Whatever it says"),
      headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 }),
      contentType: fc.constantFrom("text/plain", "application/json", "text/html; charset=utf-8"),
      eol: fc.constantFrom("\n", "\r\n"),
      body: bodyBytes,
    });
    fc.assert(
      fc.property(valid, ({ status, reason, headers, contentType, eol, body }) => {
        const lines = [`Content-Type: ${contentType}`, ...headers.map(([n, v]) => `${n}: ${v}`), ...(status === undefined ? [] : [`Status: ${status}${reason}`])];
        const head = encoder.encode(lines.join(eol) + eol + eol);
        const out = new Uint8Array(head.length + body.length);
        out.set(head);
        out.set(body, head.length);
        const response = parseCgiResponse(out);
        expect(response.status).toBe(status ?? 200);
        expect(response.headers).toEqual([["content-type", contentType], ...headers.map(([n, v]) => [n.toLowerCase(), v])]);
        expect(Buffer.from(response.body).equals(Buffer.from(body))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

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

describe("the request → argv and environment mapping under fuzzing", () => {
  it("never throws; CGI variables cannot be overridden by headers; credentials never pass", () => {
    fc.assert(
      fc.property(request, ({ path: p, query, headers, method, route }) => {
        const req: WagiRequest = { method, url: `http://app.test${p}${query ? `?${query}` : ""}`, headers, body: new Uint8Array(3), remoteAddr: "10.1.2.3", route };
        const env = wagiEnvironment(req, "app.test", "80");
        const argv = wagiArgs(req);
        expect(env.REQUEST_METHOD).toBe(method.toUpperCase());
        expect(env.CONTENT_LENGTH).toBe("3");
        expect(env.GATEWAY_INTERFACE).toBe("CGI/1.1");
        expect(env.REMOTE_ADDR).toBe("10.1.2.3");
        expect(env).not.toHaveProperty("HTTP_AUTHORIZATION");
        for (const [name, value] of Object.entries(env)) {
          expect(typeof value).toBe("string");
          expect(name).not.toContain("=");
        }
        expect(argv.length).toBeGreaterThanOrEqual(1);
        expect(argv.every((a) => typeof a === "string")).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("what the guest receives is exactly what the host mapped (runWagi with echo.wasm)", () => {
    fc.assert(
      fc.property(request, fc.dictionary(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,15}$/), headerValue.filter((v) => !v.includes("\0")), { maxKeys: 4 }), ({ path: p, query, headers, method, route }, appEnv) => {
        const req: WagiRequest = { method, url: `http://app.test${p}${query ? `?${query}` : ""}`, headers, body: new Uint8Array(0), remoteAddr: "10.1.2.3", route };
        const result = runWagi({ module: echo, request: req, env: appEnv });
        expect(result.error).toBeUndefined();
        const seen = JSON.parse(new TextDecoder().decode(result.body)) as { args: string[]; env: Record<string, string> };
        const expectedEnv = { ...appEnv, ...wagiEnvironment(req, "app.test", "80") };
        // C strings end at NUL: the guest sees each value up to its first NUL byte.
        const cString = (s: string) => s.split("\0")[0]!;
        expect(seen.args).toEqual(wagiArgs(req).map(cString));
        expect(seen.env).toEqual(Object.fromEntries(Object.entries(expectedEnv).map(([k, v]) => [k, cString(v)])));
      }),
      { numRuns: 150 },
    );
  });
});

describe("WASI args and environ marshalling under fuzzing", () => {
  const text = fc.string({ unit: "binary", maxLength: 60 }).filter((s) => !s.includes("\0"));
  it("arbitrary argv and environment strings reach the guest intact (runWasi with echo.wasm)", () => {
    fc.assert(
      fc.property(
        fc.array(text, { minLength: 1, maxLength: 12 }),
        fc.dictionary(fc.string({ unit: "binary", minLength: 1, maxLength: 20 }).filter((k) => !k.includes("=") && !k.includes("\0") && encoder.encode(k).length < 200), text, { maxKeys: 12 }),
        (args, env) => {
          const run = runWasi({ module: echo, args, env, stdin: new Uint8Array(0) });
          expect(run.error).toBeUndefined();
          expect(run.exitCode).toBe(0);
          const out = new TextDecoder().decode(run.stdout);
          const seen = JSON.parse(out.slice(out.indexOf("\n\n") + 2)) as { args: string[]; env: Record<string, string> };
          // Strings cross as UTF-8: lone surrogates become U+FFFD, as TextEncoder writes them.
          const wire = (s: string) => new TextDecoder().decode(encoder.encode(s));
          expect(seen.args).toEqual(args.map(wire));
          expect(seen.env).toEqual(Object.fromEntries(Object.entries(env).map(([k, v]) => [wire(k), wire(v)])));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("huge or many arguments fail cleanly or arrive whole, never crash the host", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 200_000 }), (count, size) => {
        const args = ["echo", ...Array.from({ length: count }, (_, i) => String(i)), "x".repeat(size)];
        const run = runWasi({ module: echo, args, stdin: new Uint8Array(0) });
        if (run.error) {
          expect(run.error.message.length).toBeGreaterThan(0);
          return;
        }
        const out = new TextDecoder().decode(run.stdout);
        const seen = JSON.parse(out.slice(out.indexOf("\n\n") + 2)) as { args: string[] };
        expect(seen.args).toEqual(args);
      }),
      { numRuns: 30 },
    );
  });
});
