import { describe, expect, it } from "vitest";
import { readRequestBody } from "./body";
import { errorOf, exchange } from "./step-fakes";

describe("body step", () => {
  it("reads the body and counts its bytes in the log", async () => {
    const { ctx } = exchange({ method: "POST", headers: { "content-length": "5" }, body: new TextEncoder().encode("hello") });
    const body = await readRequestBody(ctx, 10);
    expect(new TextDecoder().decode(body as Uint8Array)).toBe("hello");
    expect(ctx.log.bytesIn).toBe(5);
  });

  it("answers 413 for a body past the limit, closing the connection rather than reading the rest", async () => {
    const { ctx } = exchange({ method: "POST", headers: { "transfer-encoding": "chunked" }, body: new Uint8Array(11) });
    const error = errorOf(await readRequestBody(ctx, 10));
    expect(error).toMatchObject({ code: "request-too-large", headers: { connection: "close" } });
    expect(error?.message).toMatch(/larger than this app's 10 byte limit/);
  });

  it("stops unrecorded when the client goes away mid-body", async () => {
    const { ctx } = exchange({ method: "POST", headers: { "content-length": "5" } });
    const pending = readRequestBody(ctx, 10);
    ctx.req.destroy(new Error("gone"));
    expect(await pending).toEqual({ stop: "unrecorded" });
    expect(ctx.res.destroyed).toBe(true);
  });
});
