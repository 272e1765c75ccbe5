import { describe, expect, it } from "vitest";
import { finishRequest } from "./handle-request";
import { recordRequest } from "./record";
import { exchange, fakeDeps } from "./step-fakes";

describe("record step", () => {
  it("records the status, duration and the bytes the response declared", () => {
    const deps = fakeDeps();
    const { ctx } = exchange({}, deps);
    ctx.res.writeHead(200, { "content-length": "12" });
    recordRequest(ctx, deps.onLog, 200);
    expect(deps.logs).toHaveLength(1);
    expect(deps.logs[0]).toMatchObject({ requestId: "req-1", method: "GET", path: "/", status: 200, bytesOut: 12 });
    expect(deps.logs[0]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(deps.logs[0]!.error).toBeUndefined();
  });

  it("records the path with its query string", () => {
    const deps = fakeDeps();
    const { ctx } = exchange({ url: "/search?q=two%20words&page=2" }, deps);
    recordRequest(ctx, deps.onLog, 200);
    expect(deps.logs[0]).toMatchObject({ path: "/search?q=two%20words&page=2" });
  });

  it("answers a failure through the error table and records the same code, message and detail", () => {
    const deps = fakeDeps();
    const { ctx, body } = exchange({}, deps);
    finishRequest(ctx, deps, { stop: "failed", failure: { kind: "pool", outcome: { kind: "crashed", cause: "host-memory", message: "worker crashed: heap", wallMs: 3 }, limits: deps.defaults } });
    const sent = JSON.parse(body()) as { error: { code: string; message: string } };
    expect(ctx.res.statusCode).toBe(502);
    expect(sent.error.code).toBe("out-of-memory");
    expect(deps.logs[0]).toMatchObject({ status: 502, bytesOut: Buffer.byteLength(body()), error: { ...sent.error, detail: "worker crashed: heap" } });
  });

  it("records a static answer's own byte count (none for HEAD) and nothing for an unrecorded stop", () => {
    const deps = fakeDeps();
    const head = exchange({ method: "HEAD" }, deps);
    finishRequest(head.ctx, deps, { stop: "failed", failure: { kind: "static-bad-path" }, bytesOut: 0 });
    expect(deps.logs[0]).toMatchObject({ status: 400, bytesOut: 0, error: { code: "bad-path" } });
    finishRequest(exchange({}, deps).ctx, deps, { stop: "unrecorded" });
    expect(deps.logs).toHaveLength(1);
  });
});
