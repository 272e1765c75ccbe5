// Outbound HTTP end to end: a real gateway over real HTTP runs real wasm guests (WAT, both import
// modules) that call servers on 127.0.0.1, which this test's operator settings allow
// (GATEWAY_OUTBOUND_ALLOW=127.0.0.1). Every refused class answers the guest with a clear error
// and leaves a line in the app's log; the caps hold; a hanging upstream ends with the request's
// deadline while another tenant's app still answers.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RequestLog } from "../deployment-record/ports";
import { createFolderRegistry } from "../runtime/folder-registry";
import { createGateway, type Gateway } from "../runtime/gateway";
import { WorkerPool } from "../runtime/worker-pool";
import { appUrl, fetchApp } from "../testing/app-fetch";
import { waitUntil } from "../testing/wait-until";
import { watToBinary } from "../wasm/test-support/compile-wat";
import { HELLO_WAT, WASI_HTTP_FETCHER_WAT, WASMCOMPUTE_FETCHER_WAT } from "./test-support/outbound-guests";

let upstream: http.Server;
let up: string;
let dir: string;
let gateway: Gateway;
let base: string;
const logs: RequestLog[] = [];
let hangSeen = false;

function startUpstream(): Promise<void> {
  upstream = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      if (url.pathname === "/hello") {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end(`hello ${req.method} ${Buffer.concat(chunks).length} guest=${req.headers["x-guest"] ?? "-"}\n`);
      } else if (url.pathname === "/redirect-ok") {
        res.writeHead(302, { location: "/hello" }).end();
      } else if (url.pathname === "/redirect-metadata") {
        res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
      } else if (url.pathname === "/big") {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end("x".repeat(20_000));
      } else if (url.pathname === "/hang") {
        hangSeen = true; // and never answer
      } else {
        res.writeHead(404).end();
      }
    });
  });
  return new Promise((resolve) => upstream.listen(0, "127.0.0.1", resolve));
}

async function writeApp(tenant: string, app: string, wat: string, manifest: object): Promise<void> {
  const appDir = path.join(dir, tenant, app);
  mkdirSync(appDir, { recursive: true });
  writeFileSync(path.join(appDir, "module.wasm"), await watToBinary(wat));
  writeFileSync(path.join(appDir, "manifest.json"), JSON.stringify(manifest));
}

beforeAll(async () => {
  await startUpstream();
  up = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const upPort = (upstream.address() as AddressInfo).port;
  const listed = [up, `http://127.0.0.2:${upPort}`, "http://10.20.30.40", "http://169.254.169.254"];
  dir = mkdtempSync(path.join(os.tmpdir(), "outbound-test-"));
  await writeApp("demo", "fetcher", WASMCOMPUTE_FETCHER_WAT, { allowed_hosts: listed });
  await writeApp("demo", "wagi", WASI_HTTP_FETCHER_WAT, { allowed_hosts: listed });
  await writeApp("demo", "unlisted", WASMCOMPUTE_FETCHER_WAT, {});
  await writeApp("demo", "hanger", WASMCOMPUTE_FETCHER_WAT, { allowed_hosts: [up], limits: { timeoutMs: 1500 } });
  await writeApp("other", "neighbour", HELLO_WAT, {});
  for (const [app, fixture] of [["c-sdk", "http-get-c-sdk"], ["as-sdk", "http-get-as"], ["wagi-example", "wagi-http-example"]]) {
    mkdirSync(path.join(dir, "demo", app!), { recursive: true });
    copyFileSync(path.join(import.meta.dirname, "../../fixtures/wasm", `${fixture}.wasm`), path.join(dir, "demo", app!, "module.wasm"));
    writeFileSync(path.join(dir, "demo", app!, "manifest.json"), JSON.stringify({ allowed_hosts: listed }));
  }
  const pool = await WorkerPool.create({ size: 2 });
  gateway = await createGateway({
    resolve: createFolderRegistry({ dir }).resolve,
    pool,
    onLog: (record) => logs.push(record),
    outbound: { operatorAllow: ["127.0.0.1"], caps: { maxCalls: 3, maxBytesIn: 10_000, maxBytesOut: 1000 } },
  });
  await new Promise<void>((resolve) => gateway.server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await gateway?.close();
  await gateway?.pool.close();
  upstream?.closeAllConnections();
  await new Promise((resolve) => upstream?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** POSTs "<times> <url>" to the app; the guest calls <url> that many times and answers for the last. */
async function call(app: string, url: string, times = 1, tenant = "demo") {
  const res = await fetchApp(appUrl(base, tenant, app, "/"), { method: "POST", body: `${times} ${url}` });
  const text = await res.text();
  const requestId = res.headers.get("x-request-id");
  await waitUntil(async () => logs.some((l) => l.requestId === requestId));
  const log = logs.find((l) => l.requestId === requestId)!;
  return { status: res.status, text, log, lines: log.guestLogs.map((l) => `${l.level} ${l.message}`) };
}

describe("outbound HTTP from a guest", () => {
  it("reaches a host in allowed_hosts (wasmcompute http_* imports); the call is logged and metered", async () => {
    const { status, text, log, lines } = await call("fetcher", `${up}/hello`);
    expect(status).toBe(200);
    expect(text).toMatch(/^ok 200 /);
    expect(text).toContain("content-type:text/plain\n");
    expect(text).toContain(`hello POST ${`1 ${up}/hello`.length} guest=-`);
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^info outbound POST 127\\.0\\.0\\.1:\\d+ → 200 in \\d+ ms$`))]);
    expect(log.outboundCalls).toBe(1);
    expect(log.outboundBytesOut).toBe(`1 ${up}/hello`.length);
    expect(log.outboundBytesIn).toBeGreaterThan(0);
  });

  it("runs WAGI's wasi_experimental_http imports: req, header_get, body_read in chunks, close", async () => {
    const { status, text } = await call("wagi", `${up}/hello`);
    expect(status).toBe(200);
    expect(text).toBe(`ok 200 text/plain hello POST ${`1 ${up}/hello`.length} guest=wagi\n`);
  });

  it("follows a redirect to an allowed address, counting each hop", async () => {
    const { status, text, log } = await call("fetcher", `${up}/redirect-ok`);
    expect(status).toBe(200);
    expect(text).toContain("hello GET 0");
    expect(log.outboundCalls).toBe(2);
  });

  it.each([
    ["loopback the operator did not allow", "fetcher", () => `http://127.0.0.2:${new URL(up).port}/hello`, 2, () => "resolves to 127.0.0.2, a loopback address", "refused-address"],
    ["a private address", "fetcher", () => "http://10.20.30.40/", 2, () => "resolves to 10.20.30.40, a private address", "refused-address"],
    ["the cloud metadata address (link-local)", "fetcher", () => "http://169.254.169.254/latest/meta-data/", 2, () => "169.254.169.254, a cloud-metadata address", "refused-address"],
    ["a host not in allowed_hosts", "unlisted", () => `${up}/hello`, 1, () => `${up} is not in this app's allowed_hosts: add "${up}" to allowed_hosts`, "not-allowed"],
    ["a redirect to a refused address", "fetcher", () => `${up}/redirect-metadata`, 2, () => "redirected to http://169.254.169.254/latest/meta-data/: 169.254.169.254 resolves to 169.254.169.254, a cloud-metadata address", "refused-address"],
  ])("refuses %s with a guest-visible error and a log line", async (_what, app, url, code, messageOf, logCode) => {
    const message = messageOf();
    const { status, text, lines } = await call(app, url());
    expect(status).toBe(502);
    expect(text).toBe(`error ${code} ${text.slice(8)}`);
    expect(text).toContain(message);
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^warn outbound POST \\S+ → ${logCode}: `))]);
    expect(lines[0]).toContain(message);
  });

  it("gives WAGI modules wasi_experimental_http's DestinationNotAllowed (7) for a refused address", async () => {
    const { status, text, lines } = await call("wagi", "http://169.254.169.254/latest/meta-data/");
    expect(status).toBe(502);
    expect(text).toBe("error 07");
    expect(lines[0]).toContain("cloud-metadata address");
  });

  it("holds the per-request caps: calls, bytes in, bytes out", async () => {
    const calls = await call("fetcher", `${up}/hello`, 4);
    expect(calls.text).toContain("error 4 more than 3 outbound calls in one request");
    expect(calls.log.outboundCalls).toBe(3);
    expect(calls.lines.filter((l) => l.startsWith("info"))).toHaveLength(3);

    const big = await call("fetcher", `${up}/big`);
    expect(big.text).toContain("error 4 the responses to this request's outbound calls passed 10000 bytes");

    const out = await call("fetcher", `${up}/hello?pad=${"p".repeat(1200)}`);
    expect(out.text).toContain("error 4 the request bodies of this request's outbound calls would pass 1000 bytes");
  });

  it.each(["c-sdk", "as-sdk"])("works through the %s (sdk/*/examples/http-get): a response, and a refusal in words", async (app) => {
    const ok = await fetchApp(appUrl(base, "demo", app, `/?${up}/hello`));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("upstream said 200: hello GET 0 guest=-\n");
    const refused = await fetchApp(appUrl(base, "demo", app, "/?http://10.20.30.40/"));
    expect(refused.status).toBe(502);
    expect(await refused.text()).toMatch(/^call failed \(-2\): 10\.20\.30\.40 resolves to 10\.20\.30\.40, a private address, which apps may not call/);
  });

  it("runs WAGI's own http-example.wasm unchanged: its call to a host not in allowed_hosts is refused as DestinationNotAllowed", async () => {
    const res = await fetchApp(appUrl(base, "demo", "wagi-example", "/"));
    const requestId = res.headers.get("x-request-id");
    // The crate panics on the error (`expect`): a trap, answered 502 guest-trap.
    expect(res.status).toBe(502);
    await waitUntil(async () => logs.some((l) => l.requestId === requestId));
    const log = logs.find((l) => l.requestId === requestId)!;
    // The crate's own panic with errno 7 (DestinationNotAllowed): the module imported and called req as WAGI's host defines it.
    expect(log.stderr.join("\n")).toContain("panicked at 'cannot make get request: Wasi error 7'");
    expect(log.guestLogs.map((l) => l.message)).toEqual([expect.stringContaining("outbound GET api.brigade.sh → not-allowed: https://api.brigade.sh is not in this app's allowed_hosts")]);
  });

  it("ends a hanging upstream call with the request's deadline while another tenant's app answers", async () => {
    hangSeen = false;
    const hanging = call("hanger", `${up}/hang`);
    await waitUntil(async () => hangSeen);
    const neighbour = await fetchApp(appUrl(base, "other", "neighbour", "/"));
    expect(neighbour.status).toBe(200);
    expect(await neighbour.text()).toBe("neighbour ok\n");
    const { status, text } = await hanging;
    // The call's deadline is the request's: the guest hears "timeout" (and answers), or the worker is stopped (504).
    if (status === 502) expect(text).toContain("error 5 ");
    else expect(status).toBe(504);
  });
});
