// JSON bodies are read as a stream against their route's limit (lib/http/read-body.ts): a
// declared Content-Length over it is refused before reading, a body without one as soon as it
// passes it, never after holding all of it.
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { describeBytes, readBodyBytes } from "./read-body";
import { readJson } from "./route";

function endless(headers: Record<string, string> = {}) {
  const counter = { pulled: 0 };
  const chunk = new Uint8Array(16 * 1024).fill(0x20);
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      counter.pulled += chunk.length;
      controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 }); // pulled only when read
  return { req: new Request("http://console/", { method: "POST", body, duplex: "half", headers } as RequestInit), counter };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error("expected a refusal");
}

describe("readJson and readBodyBytes", () => {
  it("reads a body within the limit, in bytes (not characters)", async () => {
    expect(await readJson(new Request("http://console/", { method: "POST", body: '{"a":"é"}' }))).toEqual({ a: "é" });
    const e = await refusal(readJson(new Request("http://console/", { method: "POST", body: JSON.stringify("é".repeat(40)) }), 64));
    expect(e.message).toBe("The request body is larger than 64 bytes, this route's limit. Send a smaller body.");
  });

  it("refuses a declared Content-Length over the limit without reading", async () => {
    const { req, counter } = endless({ "content-length": String(200 * 1024 * 1024) });
    const e = await refusal(readJson(req));
    expect([e.status, e.message]).toEqual([413, "The request body is larger than 64 KiB, this route's limit. Send a smaller body."]);
    expect(counter.pulled).toBe(0);
  });

  it("stops reading a body without Content-Length as soon as it passes the limit", async () => {
    const { req, counter } = endless();
    const e = await refusal(readBodyBytes(req, 100 * 1024));
    expect(e.status).toBe(413);
    expect(counter.pulled).toBeLessThan(200 * 1024);
  });

  it("still says what is wrong with a body that is not JSON", async () => {
    const e = await refusal(readJson(new Request("http://console/", { method: "POST", body: "{" })));
    expect([e.status, e.message]).toEqual([400, "Request body must be valid JSON"]);
  });

  it.each([
    [100, "100 bytes"],
    [64 * 1024, "64 KiB"],
    [2 * 1024 * 1024, "2 MiB"],
    [1.5 * 1024 * 1024, "1.5 MiB"],
  ])("describes %d bytes as %s", (n, text) => expect(describeBytes(n)).toBe(text));
});
