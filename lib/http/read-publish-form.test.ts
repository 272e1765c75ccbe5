// The publish reader: every part keeps its own bytes however the body is cut into chunks, and the
// plan's upload cap (and the manifest's size limit) refuse an upload before it is read.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { publishForm } from "@/lib/testing/console-client";
import { consoleConfig } from "@/lib/config/console-config";
import { readPublishForm, uploadCap } from "./read-publish-form";

const ROOT = path.resolve(import.meta.dirname, "../..");
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const MiB = 1024 * 1024;

/** The multipart bytes of a form, and its content type. */
async function encode(form: FormData): Promise<{ bytes: Uint8Array; type: string }> {
  const probe = new Request("http://console/", { method: "POST", body: form });
  return { bytes: new Uint8Array(await probe.arrayBuffer()), type: probe.headers.get("content-type")! };
}

/** A request whose body arrives in chunks of `size` bytes; `pulled` counts what the reader took. */
function chunked(bytes: Uint8Array, type: string, size: number, headers: Record<string, string> = {}) {
  const counter = { pulled: 0 };
  let at = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      const chunk = bytes.slice(at, at + size);
      at += size;
      counter.pulled += chunk.length;
      controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 }); // pulled only when read
  const req = new Request("http://console/", { method: "POST", body, duplex: "half", headers: { "content-type": type, ...headers } } as RequestInit);
  return { req, counter };
}

/** A body that never ends (a client still sending): what is read must stop at the cap. */
function endless(type: string, headers: Record<string, string> = {}) {
  const counter = { pulled: 0 };
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      counter.pulled += chunk.length;
      controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 }); // pulled only when read
  return { req: new Request("http://console/", { method: "POST", body, duplex: "half", headers: { "content-type": type, ...headers } } as RequestInit), counter };
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

describe("readPublishForm", () => {
  const savedPlan = process.env.PRICE_PLAN;
  afterEach(() => {
    if (savedPlan === undefined) delete process.env.PRICE_PLAN;
    else process.env.PRICE_PLAN = savedPlan;
  });

  it.each([
    ["the whole body in one chunk", Infinity],
    ["64 KiB chunks", 64 * 1024],
    ["7-byte chunks", 7],
  ])("keeps every part's own bytes with %s", async (_, size) => {
    const module = new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm/hello-wat.wasm")));
    const manifest = "module: app.wasm\nfiles: [index.html, data.bin]\n";
    const data = new Uint8Array(300_000).map((_, i) => (i * 7) & 255);
    const { bytes, type } = await encode(publishForm("0.0.1", module, manifest, { "index.html": "<p>hi</p>", "data.bin": data }));
    const { req } = chunked(bytes, type, Math.min(size, bytes.length), { "content-length": String(bytes.length) });
    const input = await readPublishForm(req);
    expect(input.version).toBe("0.0.1");
    expect(sha256(input.module)).toBe(sha256(module));
    expect(input.manifestText).toBe(manifest);
    expect(input.files.map((f) => [f.path, sha256(f.data), f.sha256])).toEqual([
      ["index.html", sha256(new TextEncoder().encode("<p>hi</p>")), sha256(new TextEncoder().encode("<p>hi</p>"))],
      ["data.bin", sha256(data), sha256(data)],
    ]);
  });

  it("takes the cap from the price plan (uploadMaxBytes), else UPLOAD_MAX_BYTES", () => {
    delete process.env.PRICE_PLAN;
    expect(uploadCap()).toEqual({ bytes: consoleConfig().UPLOAD_MAX_BYTES, source: 'the upload cap of the "Pay as you go" plan (UPLOAD_MAX_BYTES on the server)' });
    const savedMax = process.env.UPLOAD_MAX_BYTES;
    process.env.UPLOAD_MAX_BYTES = "2048";
    try {
      expect(uploadCap().bytes).toBe(2048);
    } finally {
      if (savedMax === undefined) delete process.env.UPLOAD_MAX_BYTES;
      else process.env.UPLOAD_MAX_BYTES = savedMax;
    }
    process.env.PRICE_PLAN = JSON.stringify({ name: "Small", uploadMaxBytes: MiB });
    expect(uploadCap()).toEqual({ bytes: MiB, source: 'the upload cap of the "Small" plan' });
  });

  it("refuses a declared Content-Length over the plan's cap before reading a byte, naming the cap", async () => {
    process.env.PRICE_PLAN = JSON.stringify({ name: "Small", uploadMaxBytes: MiB });
    const { req, counter } = endless("multipart/form-data; boundary=x", { "content-length": String(2 * MiB) });
    const e = await refusal(readPublishForm(req));
    expect(e.status).toBe(413);
    expect(e.message).toBe('The upload is larger than 1 MiB, the upload cap of the "Small" plan. Publish a smaller module or fewer files.');
    expect(counter.pulled).toBe(0);
  });

  it("refuses a body without Content-Length as soon as it passes the cap", async () => {
    const { req, counter } = endless("multipart/form-data; boundary=x");
    const e = await refusal(readPublishForm(req, { bytes: MiB, source: "the test's cap" }));
    expect(e.message).toMatch(/^The upload is larger than 1 MiB, the test's cap\./);
    expect(counter.pulled).toBeLessThan(2 * MiB);
  });

  it("refuses a manifest part over 64 KiB while it streams, before the rest is read", async () => {
    const module = new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm/hello-wat.wasm")));
    const manifest = `env:\n${"  K: v\n".repeat(20_000)}`;
    const { bytes, type } = await encode(publishForm("0.0.1", module, manifest, { "big.bin": new Uint8Array(8 * MiB) }));
    const { req, counter } = chunked(bytes, type, 16 * 1024, { "content-length": String(bytes.length) });
    const e = await refusal(readPublishForm(req));
    expect([e.status, e.details?.field]).toEqual([413, "manifest"]);
    expect(e.message).toMatch(/a manifest is at most 65536 bytes \(64 KiB\)/);
    expect(counter.pulled).toBeLessThan(MiB);
  });
});
