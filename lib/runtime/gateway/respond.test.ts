import { describe, expect, it } from "vitest";
import type { WagiJobResult } from "../worker-protocol";
import { respond, responseHeaders } from "./respond";
import { errorOf, exchange, fakeDeployment } from "./step-fakes";
import type { AppRequest } from "./context";

const result = (headers: [string, string][], body = "hi"): WagiJobResult => ({
  status: 201,
  headers,
  body: new TextEncoder().encode(body),
  stderr: "",
  exitCode: 0,
  memoryBytes: 65536,
  logs: [],
  runMs: 1,
  moduleMiss: false,
});
const app = (appBase = ""): AppRequest => ({ target: { tenant: "acme", app: "hello", base: appBase, path: "/" }, appBase, deployment: fakeDeployment() });

describe("respond step", () => {
  it("sends the guest's status, headers and body, with a Content-Length of the gateway's own", () => {
    const { ctx, body } = exchange();
    const headers: [string, string][] = [["Content-Type", "text/plain"], ["Set-Cookie", "a=1"], ["set-cookie", "b=2"], ["Content-Length", "999"], ["X-Request-Id", "forged"], ["Connection", "upgrade"]];
    expect(respond(ctx, app(), result(headers))).toEqual({ stop: "answered", status: 201 });
    expect(ctx.res.statusCode).toBe(201);
    expect(ctx.res.getHeaders()).toEqual({ "x-request-id": "req-1", "content-type": "text/plain", "set-cookie": ["a=1", "b=2"], "content-length": "2" });
    expect(body()).toBe("hi");
  });

  it("confines Service-Worker-Allowed to the app's scope and drops one on another origin", () => {
    const url = new URL("http://localhost/acme/hello/sw.js");
    expect(responseHeaders([["Service-Worker-Allowed", "/"]], url, "/acme/hello")).toEqual({ "service-worker-allowed": "/acme/hello/" });
    expect(responseHeaders([["Service-Worker-Allowed", "/acme/hello/app/"]], url, "/acme/hello")).toEqual({ "service-worker-allowed": "/acme/hello/app/" });
    expect(responseHeaders([["Service-Worker-Allowed", "http://evil.example/"]], url, "/acme/hello")).toEqual({});
  });

  it("answers 502 bad-cgi-response for a header HTTP cannot carry, keeping only the request id", () => {
    const { ctx } = exchange();
    const stop = respond(ctx, app(), result([["X-Ok", "1"], ["X-Bad", "a\u0001b"]]));
    expect(errorOf(stop)).toMatchObject({ code: "bad-cgi-response", message: expect.stringMatching(/a header HTTP cannot carry/) });
    expect(ctx.res.headersSent).toBe(false);
    expect(ctx.res.getHeaderNames()).toEqual(["x-request-id"]);
  });
});
