// The fetcher on its own, against a real server on 127.0.0.1: `*` only where the operator turned it
// on, the operator's exceptions, and a call that cannot outlive its request.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOutboundFetcher } from "./outbound-fetch";

let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === "/hang") return;
    res.writeHead(200, { "content-type": "text/plain" }).end("pong");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const request = (target: string) => ({ method: "GET", url: target, headers: [] as [string, string][], body: new Uint8Array(0) });
const later = () => performance.now() + 10_000;

describe("outbound fetcher", () => {
  it('answers allowed_hosts: ["*"] only where GATEWAY_OUTBOUND_ANY is on, and says so where it is off', async () => {
    const on = createOutboundFetcher({ operatorAllow: ["127.0.0.1"], allowAnyHost: true }).openSession({ allowedHosts: ["*"], deadline: later() });
    const ok = await on.fetch(request(`${url}/`));
    expect(ok.ok && ok.status === 200 && new TextDecoder().decode(ok.body)).toBe("pong");

    const off = createOutboundFetcher({ operatorAllow: ["127.0.0.1"], allowAnyHost: false }).openSession({ allowedHosts: ["*"], deadline: later() });
    const refused = await off.fetch(request(`${url}/`));
    expect(refused).toEqual({ ok: false, code: "not-allowed", message: expect.stringContaining('allowed_hosts: ["*"] is off on this platform (GATEWAY_OUTBOUND_ANY)') });
  });

  it("refuses loopback even for * unless the operator lists it", async () => {
    const session = createOutboundFetcher({ operatorAllow: [], allowAnyHost: true }).openSession({ allowedHosts: ["*"], deadline: later() });
    expect(await session.fetch(request(`${url}/`))).toEqual({ ok: false, code: "refused-address", message: expect.stringContaining("a loopback address") });
  });

  it("ends a call at the request's deadline, and at close()", async () => {
    const fetcher = createOutboundFetcher({ operatorAllow: ["127.0.0.1"], allowAnyHost: false });
    const soon = fetcher.openSession({ allowedHosts: [url], deadline: performance.now() + 300 });
    expect(await soon.fetch(request(`${url}/hang`))).toEqual({ ok: false, code: "timeout", message: expect.stringContaining("did not answer inside the request's deadline") });

    const closed = fetcher.openSession({ allowedHosts: [url], deadline: later() });
    const pending = closed.fetch(request(`${url}/hang`));
    closed.close();
    expect(await pending).toEqual({ ok: false, code: "timeout", message: expect.stringContaining("the request ended") });

    // A session closed before its first call (most requests make none) refuses a late one the same way.
    const idle = fetcher.openSession({ allowedHosts: [url], deadline: later() });
    idle.close();
    expect(await idle.fetch(request(`${url}/`))).toEqual({ ok: false, code: "timeout", message: expect.stringContaining("the request ended") });
  });

  it("refuses URLs that are not http(s), and credentials in URLs", async () => {
    const session = createOutboundFetcher({ operatorAllow: ["127.0.0.1"], allowAnyHost: true }).openSession({ allowedHosts: ["*"], deadline: later() });
    expect(await session.fetch(request("file:///etc/passwd"))).toMatchObject({ ok: false, code: "invalid" });
    expect(await session.fetch(request(url.replace("http://", "http://user:pw@")))).toMatchObject({ ok: false, code: "invalid" });
    expect(await session.fetch(request("not a url"))).toMatchObject({ ok: false, code: "invalid" });
  });
});
