// The preview worker's side of outbound HTTP, with the console played by a stand-in for the
// synchronous XMLHttpRequest (Node has none; e2e/editor/preview-outbound.spec.ts runs the real one
// in Chromium): what it sends, the run's totals carried from one call to the next, the console's
// own failures as "unavailable", and a real wasm guest hearing the codes the gateway's host gives.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runWagi, type OutboundResult } from "@/lib/wasm";
import { encodePreviewOutbound, type PreviewOutboundInput } from "@/lib/wasm/outbound-wire";
import { watToBinary } from "@/lib/wasm/test-support/compile-wat";
import { WASMCOMPUTE_FETCHER_WAT } from "@/lib/outbound/test-support/outbound-guests";
import { previewOutboundHost } from "./preview-outbound-host";
import type { PreviewLogLine } from "./preview-protocol";

interface Sent {
  method: string;
  url: string;
  async: boolean;
  responseType: string;
  timeout: number;
  body: PreviewOutboundInput;
}

const sent: Sent[] = [];
let answer: (input: PreviewOutboundInput) => { status: number; body: Uint8Array };

class StandInXhr {
  status = 0;
  response: ArrayBuffer | null = null;
  responseType = "";
  timeout = 0;
  private opened = { method: "", url: "", async: true };
  open(method: string, url: string, async: boolean) {
    this.opened = { method, url, async };
  }
  setRequestHeader() {}
  send(body: string) {
    const input = JSON.parse(body) as PreviewOutboundInput;
    sent.push({ ...this.opened, responseType: this.responseType, timeout: this.timeout, body: input });
    const { status, body: bytes } = answer(input);
    this.status = status;
    this.response = bytes.slice().buffer;
  }
}

const original = (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest;
beforeEach(() => {
  sent.length = 0;
  (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest = StandInXhr;
});
afterEach(() => {
  (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest = original;
});

const encoder = new TextEncoder();
const ok = (text: string, spent: PreviewOutboundInput["spent"]) =>
  encodePreviewOutbound({ ok: true, status: 200, headers: [["content-type", "text/plain"]], body: encoder.encode(text) }, spent, { level: "info", message: "outbound POST api.example.com → 200 in 3 ms" });

describe("the preview's outbound host", () => {
  it("sends each call synchronously with the draft's allowed_hosts, and carries the run's totals to the next call", () => {
    const logs: PreviewLogLine[] = [];
    answer = (input) => ({ status: 200, body: ok("hi", { calls: input.spent.calls + 1, bytesOut: input.spent.bytesOut + 2, bytesIn: input.spent.bytesIn + 2 }) });
    const host = previewOutboundHost({ url: "/api/v1/apps/a/preview/outbound", allowedHosts: ["https://api.example.com"], deadline: performance.now() + 3000, log: (l) => logs.push(l) });
    const first = host.fetch({ method: "POST", url: "https://api.example.com/x", headers: [["x-a", "1"]], body: encoder.encode("ab") });
    host.fetch({ method: "GET", url: "https://api.example.com/y", headers: [], body: new Uint8Array(0) });
    expect(first).toEqual({ ok: true, status: 200, headers: [["content-type", "text/plain"]], body: encoder.encode("hi") });
    expect(sent[0]).toMatchObject({ method: "POST", url: "/api/v1/apps/a/preview/outbound", async: false, responseType: "arraybuffer" });
    expect(sent[0]!.body).toMatchObject({ allowedHosts: ["https://api.example.com"], request: { method: "POST", url: "https://api.example.com/x", headers: [["x-a", "1"]], body: "YWI=" }, spent: { calls: 0, bytesOut: 0, bytesIn: 0 } });
    expect(sent[0]!.body.timeoutMs).toBeGreaterThan(0);
    expect(sent[0]!.body.timeoutMs).toBeLessThanOrEqual(3000);
    expect(sent[1]!.body.spent).toEqual({ calls: 1, bytesOut: 2, bytesIn: 2 });
    expect(logs).toEqual([
      { level: "info", message: "outbound POST api.example.com → 200 in 3 ms" },
      { level: "info", message: "outbound POST api.example.com → 200 in 3 ms" },
    ]);
  });

  it("turns the console's own refusal (signed out, rate limited) into 'unavailable' with its message", () => {
    answer = () => ({ status: 401, body: encoder.encode(JSON.stringify({ error: { code: "UNAUTHORIZED", message: "Sign in to the console." } })) });
    const host = previewOutboundHost({ url: "/x", allowedHosts: [], deadline: performance.now() + 1000, log: () => {} });
    expect(host.fetch({ method: "GET", url: "https://api.example.com/", headers: [], body: new Uint8Array(0) })).toEqual({
      ok: false,
      code: "unavailable",
      message: "the IDE preview could not make the call: the console answered 401: Sign in to the console.",
    });
  });

  it("gives a wasm guest the same codes and reasons as the gateway's host", async () => {
    const refusal: OutboundResult = { ok: false, code: "refused-address", message: "10.0.0.5 resolves to 10.0.0.5, a private address, which apps may not call" };
    answer = () => ({ status: 200, body: encodePreviewOutbound(refusal, { calls: 1, bytesOut: 0, bytesIn: 0 }, { level: "warn", message: "outbound POST 10.0.0.5 → refused" }) });
    const body = encoder.encode("1 http://10.0.0.5/");
    const res = runWagi({
      module: new WebAssembly.Module((await watToBinary(WASMCOMPUTE_FETCHER_WAT)) as Uint8Array<ArrayBuffer>),
      request: { method: "POST", url: "http://preview.local/", headers: [["content-length", String(body.length)]], body, remoteAddr: "127.0.0.1", route: "/..." },
      host: { http: previewOutboundHost({ url: "/x", allowedHosts: ["http://10.0.0.5"], deadline: performance.now() + 1000, log: () => {} }) },
    });
    expect(res.status).toBe(502);
    // HTTP_STATUS.REFUSED_ADDRESS (-2) and http_error's text, as outbound-http.test.ts sees them on the gateway.
    expect(new TextDecoder().decode(res.body)).toBe(`error 2 ${refusal.message}`);
  });
});
