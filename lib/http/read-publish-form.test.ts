// The publish reader: every part keeps its own bytes however the body is cut into chunks.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { publishForm } from "@/lib/testing/console-client";
import { readPublishForm } from "./read-publish-form";

const ROOT = path.resolve(import.meta.dirname, "../..");
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

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

describe("readPublishForm", () => {
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
});
