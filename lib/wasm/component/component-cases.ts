// The wasi:http behaviours a component must see, as one case list that runs in Node
// (component-cases.test.ts) and in Chromium (e2e/wasm-host) on the same artifacts, compared with
// each other and with the expected summaries: the request arriving whole (method, path with
// query, authority, headers with repeats in order, a body read in chunks), the response going out
// whole (status, repeated headers, a body written in several writes), logs, outbound calls and
// every way a guest can fail. The fixtures are fixtures/component/*.wat (README there).
import type { WagiRequest } from "../wagi-environment";
import type { OutboundHttpHost } from "../outbound-http-types";
import { runComponent, type LoadedComponent } from "./run-component";

export interface ComponentFixture {
  /** fixtures/component/NAME.component.wasm */
  name: string;
  /** The memory cap written into its core modules at transpile time, as publish does. */
  memoryMb?: number;
}

export interface ComponentCase {
  name: string;
  fixture: ComponentFixture;
  run(component: LoadedComponent): unknown;
  expected: unknown;
}

/** Where a case's artifact is, by fixture and memory cap (the page fetches it from there). */
export function artifactKey(f: ComponentFixture): string {
  return `${f.name}@${f.memoryMb ?? "uncapped"}`;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function request(init: Partial<WagiRequest> & { body?: Uint8Array | string } = {}): WagiRequest {
  const body = init.body ?? new Uint8Array(0);
  return {
    method: init.method ?? "GET",
    url: init.url ?? "http://shop--acme.apps.test/",
    headers: init.headers ?? [],
    body: typeof body === "string" ? encoder.encode(body) : body,
    remoteAddr: "203.0.113.7",
    route: "/...",
  };
}

/** The response as data; bodies longer than 4 KiB are summarised by length and a checksum. */
function summary(r: ReturnType<typeof runComponent>) {
  const body = r.body.length > 4096 ? { bytes: r.body.length, sum: r.body.reduce((s, b) => (s * 31 + b) >>> 0, 7) } : decoder.decode(r.body);
  return { status: r.status, headers: r.headers, body, error: r.error?.kind ?? null, stderr: r.stderr };
}

/** Upstreams for the outbound fixture: "ok.test" answers, "denied.test" is not in allowed_hosts, others are private. */
const fakeOutbound: OutboundHttpHost = {
  fetch(req) {
    const host = new URL(req.url).host;
    if (host === "ok.test") return { ok: true, status: 201, headers: [["content-type", "text/plain"]], body: encoder.encode(`upstream saw ${req.method} ${req.url}`) };
    if (host === "denied.test") return { ok: false, code: "not-allowed", message: "denied.test is not in allowed_hosts" };
    return { ok: false, code: "refused-address", message: `${host} is a private address` };
  },
};

const fixture = (name: string, memoryMb?: number): ComponentFixture => ({ name, ...(memoryMb !== undefined ? { memoryMb } : {}) });

// 200 KiB of every byte value: the echo fixture reads it in 64 KiB asks and writes it back in 4 KiB writes.
const BIG_BODY = Uint8Array.from({ length: 200 * 1024 }, (_, i) => (i * 7) & 0xff);

export const COMPONENT_CASES: ComponentCase[] = [
  {
    name: "hello: status, content-type and body",
    fixture: fixture("hello"),
    run: (c) => summary(runComponent({ component: c, request: request() })),
    expected: { status: 200, headers: [["content-type", "text/plain"]], body: "Hello from a component\n", error: null, stderr: "" },
  },
  {
    name: "echo: method, path with query, authority, headers with repeats in order",
    fixture: fixture("echo"),
    run: (c) =>
      summary(
        runComponent({
          component: c,
          request: request({
            method: "DELETE",
            url: "http://shop--acme.apps.test:8080/items/7?color=red&size=%20L",
            headers: [["X-Tag", "a"], ["accept", "text/plain"], ["x-tag", "b"], ["Connection", "keep-alive"], ["cookie", "next-auth.session-token=secret; theme=dark"]],
          }),
        }),
      ),
    expected: {
      status: 200,
      headers: [["content-type", "text/plain"]],
      body:
        "method: DELETE\npath-with-query: /items/7?color=red&size=%20L\nscheme: http\nauthority: shop--acme.apps.test:8080\n\n" +
        // Names lower-cased; connection is the host's; the console's cookie never reaches a guest.
        "x-tag: a\naccept: text/plain\nx-tag: b\ncookie: theme=dark\n\n",
      error: null,
      stderr: "",
    },
  },
  {
    name: "echo: a method that is not one of the nine (other)",
    fixture: fixture("echo"),
    run: (c) => decoder.decode(runComponent({ component: c, request: request({ method: "PURGE", url: "https://a.test/" }) }).body).split("\n").slice(0, 3),
    expected: ["method: PURGE", "path-with-query: /", "scheme: https"],
  },
  {
    name: "echo: a 200 KiB body read in chunks comes back byte for byte",
    fixture: fixture("echo"),
    run: (c) => {
      const r = runComponent({ component: c, request: request({ method: "POST", body: BIG_BODY }) });
      const tail = r.body.subarray(r.body.length - BIG_BODY.length);
      return { status: r.status, length: r.body.length - BIG_BODY.length, same: tail.every((b, i) => b === BIG_BODY[i]) };
    },
    expected: { status: 200, length: "method: POST\npath-with-query: /\nscheme: http\nauthority: shop--acme.apps.test\n\n\n".length, same: true },
  },
  {
    name: "status: the status code the guest sets",
    fixture: fixture("status"),
    run: (c) => [404, 201, 599].map((code) => summary(runComponent({ component: c, request: request({ url: `http://a.test/status/${code}?x=1` }) })).status),
    expected: [404, 201, 599],
  },
  {
    name: "status: set-status-code refuses 99 (the guest then answers 500)",
    fixture: fixture("status"),
    run: (c) => summary(runComponent({ component: c, request: request({ url: "http://a.test/status/99" }) })),
    expected: { status: 500, headers: [["x-fixture", "status"]], body: "", error: null, stderr: "" },
  },
  {
    name: "stream: a body written in five writes, finished with trailers",
    fixture: fixture("stream"),
    run: (c) => summary(runComponent({ component: c, request: request() })),
    expected: { status: 200, headers: [["content-type", "text/plain"]], body: "chunk 1\nchunk 2\nchunk 3\nchunk 4\nchunk 5\n", error: null, stderr: "" },
  },
  {
    name: "headers: repeated response headers in order; a name that is not a token is refused",
    fixture: fixture("headers"),
    run: (c) => summary(runComponent({ component: c, request: request() })),
    expected: { status: 200, headers: [["x-multi", "one"], ["x-multi", "two"], ["content-type", "text/plain"]], body: "headers\n", error: null, stderr: "" },
  },
  {
    name: "logs: stdout and stderr are the app's logs",
    fixture: fixture("logs"),
    run: (c) => summary(runComponent({ component: c, request: request() })),
    expected: { status: 200, headers: [["content-type", "text/plain"]], body: "logged\n", error: null, stderr: "logs fixture: stdout\nlogs fixture: stderr\n" },
  },
  {
    name: "outbound: an allowed upstream's status and body reach the guest",
    fixture: fixture("outbound"),
    run: (c) =>
      summary(runComponent({ component: c, request: request({ headers: [["x-target-authority", "ok.test"], ["x-target-path", "/v1/items?id=3"]] }), host: { http: fakeOutbound } })),
    expected: { status: 200, headers: [["content-type", "text/plain"]], body: "201\nupstream saw GET http://ok.test/v1/items?id=3", error: null, stderr: "" },
  },
  {
    name: "outbound: refusals come back as error-codes (denied 15, private address 4, none served 38)",
    fixture: fixture("outbound"),
    run: (c) =>
      [
        runComponent({ component: c, request: request({ headers: [["x-target-authority", "denied.test"]] }), host: { http: fakeOutbound } }),
        runComponent({ component: c, request: request({ headers: [["x-target-authority", "10.0.0.1"]] }), host: { http: fakeOutbound } }),
        runComponent({ component: c, request: request({ headers: [["x-target-authority", "ok.test"]] }) }),
      ].map((r) => `${r.status} ${decoder.decode(r.body).trim()}`),
    expected: ["502 15", "502 4", "502 38"],
  },
  {
    name: "trap: unreachable is a trap, with no response",
    fixture: fixture("trap"),
    run: (c) => {
      const r = runComponent({ component: c, request: request() });
      return { status: r.status, error: r.error?.kind, body: r.body.length };
    },
    expected: { status: 500, error: "trap", body: 0 },
  },
  {
    name: "grow: memory.grow fails at the memory cap written at publish (16 MiB = 256 pages)",
    fixture: fixture("grow", 16),
    run: (c) => summary(runComponent({ component: c, request: request() })).body,
    expected: "256\n",
  },
  {
    name: "big: a 16 MiB body written in 64 KiB writes is served whole under a 16 MiB cap",
    fixture: fixture("big"),
    run: (c) => {
      const r = runComponent({ component: c, request: request(), maxResponseBytes: 16 * 1024 * 1024 });
      return { status: r.status, bytes: r.body.length, error: r.error?.kind ?? null };
    },
    expected: { status: 200, bytes: 16 * 1024 * 1024, error: null },
  },
  {
    name: "big: past the response cap the guest is stopped (output-too-large)",
    fixture: fixture("big"),
    run: (c) => {
      const r = runComponent({ component: c, request: request(), maxResponseBytes: 1024 * 1024 });
      return { status: r.status, bytes: r.body.length, error: r.error?.kind ?? null };
    },
    expected: { status: 500, bytes: 0, error: "output-too-large" },
  },
];

/** Every artifact the list needs, once each. */
export function componentCaseFixtures(): ComponentFixture[] {
  const seen = new Map<string, ComponentFixture>();
  for (const c of COMPONENT_CASES) seen.set(artifactKey(c.fixture), c.fixture);
  return [...seen.values()];
}
