// Parsing a guest's stdout as a CGI response. Run in Node by cgi-response.test.ts and in Chromium
// by e2e/wasm-host; see host-cases.ts for the shape.
import { CgiError, parseCgiResponse, type CgiResponse } from "./cgi-response";
import { bytes, refusal, text, type HostCase } from "./host-cases";

const summary = (r: CgiResponse) => ({ status: r.status, headers: r.headers, body: text(r.body) });
const refused = (output: Uint8Array, says?: RegExp) => refusal(() => parseCgiResponse(output), says, CgiError);

export const CGI_RESPONSE_CASES: HostCase[] = [
  {
    name: "parses LF headers, a blank line and the body",
    run: () => summary(parseCgiResponse(bytes("Content-Type: text/plain\nX-Extra:  yes \n\nhello\n\nworld"))),
    expected: { status: 200, headers: [["content-type", "text/plain"], ["x-extra", "yes"]], body: "hello\n\nworld" },
  },
  {
    name: "parses CRLF output",
    run: () => summary(parseCgiResponse(bytes("content-type: text/html\r\nstatus: 201 Created\r\n\r\n<p>ok</p>\r\n"))),
    expected: { status: 201, headers: [["content-type", "text/html"]], body: "<p>ok</p>\r\n" },
  },
  {
    name: "takes the code from Status with or without a reason phrase",
    run: () => [
      parseCgiResponse(bytes("Status: 404 Not Found\nContent-Type: text/plain\n\nmissing")).status,
      parseCgiResponse(bytes("Status: 418\nContent-Type: text/plain\n\n")).status,
    ],
    expected: [404, 418],
  },
  {
    name: "turns a Location without Status into a 302, and keeps an explicit Status",
    run: () => {
      const redirect = parseCgiResponse(bytes("Location: /elsewhere\n\n"));
      return { status: redirect.status, headers: redirect.headers, explicit: parseCgiResponse(bytes("Status: 301 Moved\nLocation: /x\n\n")).status };
    },
    expected: { status: 302, headers: [["location", "/elsewhere"]], explicit: 301 },
  },
  {
    name: "accepts headers with no blank line as an empty body",
    run: () => ({ bodyLength: parseCgiResponse(bytes("Content-Type: text/plain\n")).body.length }),
    expected: { bodyLength: 0 },
  },
  {
    name: "keeps binary bodies byte for byte",
    run: () => [...parseCgiResponse(new Uint8Array([...bytes("Content-Type: application/octet-stream\n\n"), 0, 255, 10, 10, 13])).body],
    expected: [0, 255, 10, 10, 13],
  },
  {
    name: "rejects output without Content-Type or Location",
    run: () => [refused(bytes("X-Only: 1\n\nbody"), /missing Content-Type/), refused(bytes("\nbody without headers"))],
    expected: [{ error: "CgiError", says: "missing Content-Type" }, { error: "CgiError" }],
  },
  {
    name: "rejects empty output, prose instead of headers and a bad Status",
    run: () => [
      refused(new Uint8Array(0), /wrote nothing/),
      refused(bytes("hello world\n"), /malformed header on line 1.*no blank line/),
      refused(bytes("Status: teapot\nContent-Type: text/plain\n\n"), /invalid Status/),
    ],
    expected: [
      { error: "CgiError", says: "wrote nothing" },
      { error: "CgiError", says: "malformed header on line 1.*no blank line" },
      { error: "CgiError", says: "invalid Status" },
    ],
  },
  {
    name: "refuses an interim 1xx Status (100 Continue, 101 Switching Protocols) as the final response",
    run: () => [
      refused(bytes("Status: 100 Continue\nContent-Type: text/plain\n\nbody"), /interim \(1xx\)/),
      refused(bytes("Status: 101 Switching Protocols\r\nUpgrade: websocket\r\nContent-Type: text/plain\r\n\r\n"), /interim \(1xx\)/),
      refused(bytes("Status: 199\nLocation: /x\n\n"), /interim \(1xx\)/),
      parseCgiResponse(bytes("Status: 200\nContent-Type: text/plain\n\n")).status,
    ],
    expected: [
      { error: "CgiError", says: "interim \\(1xx\\)" },
      { error: "CgiError", says: "interim \\(1xx\\)" },
      { error: "CgiError", says: "interim \\(1xx\\)" },
      200,
    ],
  },
  {
    name: "control characters in header values: refuses a value holding a lone CR or a NUL (found by fuzzing: seed 1241321397)",
    run: () => ({
      crNul: refused(bytes("Content-Type: text/plain\r\0"), /control character/),
      loneCr: refused(bytes("Content-Type: text/plain\nX-A: a\rb\n\nbody")),
      // A tab is not a control character to refuse: the header stands.
      tab: parseCgiResponse(bytes("Content-Type: text/plain\nX-A: a\tb\n\nbody")).headers.filter(([n, v]) => n === "x-a" && v === "a\tb"),
    }),
    expected: { crNul: { error: "CgiError", says: "control character" }, loneCr: { error: "CgiError" }, tab: [["x-a", "a\tb"]] },
  },
];
