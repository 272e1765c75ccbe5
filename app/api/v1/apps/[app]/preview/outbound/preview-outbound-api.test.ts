// The IDE preview's outbound route through real HTTP: the console makes one call for the tenant
// under the gateway's rules. The platform's operator settings allow 127.0.0.1 (and only that), as
// a gateway test's would; an upstream on 127.0.0.1 plays the API.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwoTenants, type TwoTenants } from "@/lib/testing/two-tenants";
import { apiWithToken } from "@/lib/testing/console-client";
import { type Platform } from "@/lib/testing/platform";
import { decodePreviewOutbound, PREVIEW_OUTBOUND_TYPE, type PreviewOutboundInput } from "@/lib/wasm/outbound-wire";

let platform: Platform;
let upstream: http.Server;
let up: string;
let upPort: number;
let hits = 0;
let bed: TwoTenants;
let alice: ReturnType<typeof apiWithToken>;
let aliceRead: ReturnType<typeof apiWithToken>;
let bob: ReturnType<typeof apiWithToken>;

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    hits++;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.url === "/hello") res.writeHead(200, { "content-type": "text/plain", "x-up": "yes" }).end(`hello ${req.method} ${Buffer.concat(chunks).length}`);
      else if (req.url === "/bytes") res.writeHead(200, { "content-type": "application/octet-stream" }).end(Buffer.from([0, 1, 2, 255, 254]));
      else if (req.url === "/redirect-metadata") res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
      else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upPort = (upstream.address() as AddressInfo).port;
  up = `http://127.0.0.1:${upPort}`;
  bed = await startTwoTenants({ name: "preview-outbound", env: { GATEWAY_OUTBOUND_ALLOW: "127.0.0.1" }, aliceScope: "deploy" });
  ({ platform, alice, aliceRead, bob } = bed);
  expect((await alice("/api/v1/apps", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "caller" }) })).status).toBe(201);
}, 180_000);

afterAll(async () => {
  await bed?.stop();
  upstream?.closeAllConnections();
  await new Promise((resolve) => upstream?.close(resolve));
});

const input = (over: Partial<PreviewOutboundInput> & { url?: string; method?: string; body?: Uint8Array } = {}): PreviewOutboundInput => ({
  allowedHosts: over.allowedHosts ?? [up],
  request: { method: over.method ?? "GET", url: over.url ?? `${up}/hello`, headers: [["x-guest", "1"]], body: Buffer.from(over.body ?? new Uint8Array(0)).toString("base64") },
  timeoutMs: over.timeoutMs ?? 5000,
  spent: over.spent ?? { calls: 0, bytesOut: 0, bytesIn: 0 },
});

async function call(body: unknown, api = alice, app = "caller") {
  return api(`/api/v1/apps/${app}/preview/outbound`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

async function outcome(body: PreviewOutboundInput) {
  const res = await call(body);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe(PREVIEW_OUTBOUND_TYPE);
  return decodePreviewOutbound(new Uint8Array(await res.arrayBuffer()));
}

describe("POST /apps/{app}/preview/outbound", () => {
  it("calls an allowed host and answers its status, headers and body byte for byte, with the run's totals and the gateway's log line", async () => {
    const { result, spent, log } = await outcome(input({ method: "POST", body: new TextEncoder().encode("hi!") }));
    expect(result).toMatchObject({ ok: true, status: 200 });
    if (!result.ok) throw new Error("unreachable");
    expect(new TextDecoder().decode(result.body)).toBe("hello POST 3");
    expect(result.headers).toContainEqual(["x-up", "yes"]);
    expect(spent).toMatchObject({ calls: 1, bytesOut: 3 });
    expect(spent.bytesIn).toBeGreaterThan(0);
    expect(log).toEqual({ level: "info", message: expect.stringMatching(new RegExp(`^outbound POST 127\\.0\\.0\\.1:${upPort} → 200 in \\d+ ms$`)) });

    const binary = await outcome(input({ url: `${up}/bytes`, spent }));
    expect(binary.result.ok && [...binary.result.body]).toEqual([0, 1, 2, 255, 254]);
    expect(binary.spent.calls).toBe(2);
  });

  it("refuses a host that is not in the draft's allowed_hosts, as the gateway words it", async () => {
    const before = hits;
    const { result, log } = await outcome(input({ allowedHosts: ["https://api.example.com"] }));
    expect(result).toEqual({ ok: false, code: "not-allowed", message: `${up} is not in this app's allowed_hosts: add "${up}" to allowed_hosts in wasmcompute.yaml` });
    expect(log.level).toBe("warn");
    expect(hits).toBe(before);
  });

  it("refuses private, loopback (other than the operator's exception) and metadata addresses, also after a redirect", async () => {
    const privateHost = await outcome(input({ allowedHosts: ["http://10.20.30.40"], url: "http://10.20.30.40/x" }));
    expect(privateHost.result).toEqual({
      ok: false,
      code: "refused-address",
      message: "10.20.30.40 resolves to 10.20.30.40, a private address, which apps may not call (the operator can allow it with GATEWAY_OUTBOUND_ALLOW)",
    });
    const loopback = await outcome(input({ allowedHosts: [`http://127.0.0.2:${upPort}`], url: `http://127.0.0.2:${upPort}/hello` }));
    expect(loopback.result).toMatchObject({ ok: false, code: "refused-address", message: expect.stringContaining("a loopback address") });
    const redirected = await outcome(input({ allowedHosts: [up, "http://169.254.169.254"], url: `${up}/redirect-metadata` }));
    expect(redirected.result).toMatchObject({ ok: false, code: "refused-address", message: expect.stringMatching(/^redirected to http:\/\/169\.254\.169\.254\/.*a cloud-metadata address/) });
  });

  it("holds the gateway's per-request caps: body size, and the call count carried across the run's calls", async () => {
    const before = hits;
    const big = await outcome(input({ method: "POST", body: new Uint8Array(4 * 1024 * 1024 + 1) }));
    expect(big.result).toEqual({ ok: false, code: "limit", message: "the request bodies of this request's outbound calls would pass 4194304 bytes" });
    const manyCalls = await outcome(input({ spent: { calls: 20, bytesOut: 0, bytesIn: 0 } }));
    expect(manyCalls.result).toEqual({ ok: false, code: "limit", message: "more than 20 outbound calls in one request" });
    expect(hits).toBe(before);
  });

  it("checks the draft's allowed_hosts with the manifest's parser, and the rest of the input", async () => {
    const res = await call({ ...input(), allowedHosts: ["https://api.example.com/v1"] });
    expect(res.status).toBe(422);
    expect((await res.json()).error.message).toContain('"https://api.example.com/v1" must name only a scheme, a host and a port (no path or query)');
    expect((await call({ ...input(), timeoutMs: 0 })).status).toBe(422);
  });

  it("is the tenant's own: another tenant's app is not found, a read token may not call", async () => {
    expect((await call(input(), bob)).status).toBe(404);
    expect((await call(input(), alice, "nope")).status).toBe(404);
    expect((await call(input(), aliceRead)).status).toBe(403);
  });
});
