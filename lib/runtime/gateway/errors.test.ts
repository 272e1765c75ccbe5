import { describe, expect, it } from "vitest";
import { explain, sendError, statusOf, type Failure } from "./errors";
import { exchange } from "./step-fakes";

const mount = { path: "/assets", prefix: "/assets", dir: "pub" };

describe("the error table", () => {
  it("words static-file failures like every other failure, with their statuses and headers", () => {
    const cases: [Failure, string, number][] = [
      [{ kind: "static-method", path: "/assets/a.css", mount }, "method-not-allowed", 405],
      [{ kind: "static-bad-path" }, "bad-path", 400],
      [{ kind: "static-not-found", path: "pub/a.css", mount }, "file-not-found", 404],
      [{ kind: "static-range", size: 10 }, "range-not-satisfiable", 416],
      [{ kind: "static-read-failed", path: "pub/a.css", error: new Error("EIO") }, "storage-failed", 503],
    ];
    for (const [failure, code, status] of cases) {
      const error = explain(failure);
      expect([error.code, statusOf(error)]).toEqual([code, status]);
      expect(error.message.length).toBeGreaterThan(20);
    }
    expect(explain(cases[0]![0]).headers).toEqual({ allow: "GET, HEAD" });
    expect(explain(cases[3]![0]).headers).toEqual({ "content-range": "bytes */10" });
    expect(explain(cases[4]![0]).detail).toBe("EIO");
  });

  it("sends the JSON error body, with Retry-After on the answers worth retrying", () => {
    const { ctx, body } = exchange();
    expect(sendError(ctx.req, ctx.res, explain({ kind: "pool", outcome: { kind: "overloaded", queued: 3 }, limits: { memoryMb: 1, timeoutMs: 1, maxRequestBytes: 1, maxResponseBytes: 1 } }))).toBe(503);
    expect(JSON.parse(body())).toEqual({ error: { code: "overloaded", message: "The gateway is at capacity. Retry shortly." } });
    expect(ctx.res.getHeader("retry-after")).toBe("1");
    const other = exchange();
    sendError(other.ctx.req, other.ctx.res, explain({ kind: "static-bad-path" }));
    expect(other.ctx.res.getHeader("retry-after")).toBeUndefined();
  });

  it("lets the spending cap answer in its own shape (plain text for a browser)", () => {
    const { ctx, body } = exchange({ headers: { accept: "text/html" } });
    const refusal = { tenant: "acme", cap: 5, spent: 6, currency: "USD", month: "2026-12", resetsAt: "2027-01-01T00:00:00.000Z" };
    expect(sendError(ctx.req, ctx.res, explain({ kind: "spending-cap", refusal }))).toBe(402);
    expect(body()).toMatch(/^402 Payment Required\n\nTenant "acme" has reached its monthly spending cap/);
  });

  it("cuts off a response already under way instead of answering twice", () => {
    const { ctx } = exchange();
    ctx.res.writeHead(200);
    expect(sendError(ctx.req, ctx.res, explain({ kind: "internal", error: new Error("late") }))).toBe(500);
    expect(ctx.res.destroyed).toBe(true);
  });
});
