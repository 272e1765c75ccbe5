import { createHash, randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMultipartBody, type Part } from "./multipart";
import { tempDir } from "./test-support";

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => (tmp = await tempDir()));
afterEach(() => tmp.remove());

async function collect(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const c of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(c);
  return Buffer.concat(chunks);
}

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe("createMultipartBody", () => {
  it("streams text fields, in-memory files and files from disk that parse back as form data", async () => {
    const module = randomBytes(3000);
    const modulePath = path.join(tmp.dir, "app.wasm");
    await writeFile(modulePath, module);
    const parts: Part[] = [
      { name: "version", value: "0.0.1" },
      { name: "module", filename: "app.wasm", contentType: "application/wasm", source: modulePath, size: module.length },
      { name: "manifest", filename: "wasmcompute.yaml", contentType: "application/yaml", data: Buffer.from("module: app.wasm\n") },
      { name: "files", filename: "static/index.html", data: Buffer.from("<h1>hi</h1>") },
      { name: "files", filename: 'static/we"ird\nname ü.txt', data: Buffer.from("x") },
    ];
    const body = createMultipartBody(parts);
    const bytes = await collect(body.stream());
    expect(bytes.length).toBe(body.length);

    const form = await new Response(Buffer.from(bytes), { headers: { "content-type": body.contentType } }).formData();
    expect(form.get("version")).toBe("0.0.1");
    const mod = form.get("module") as File;
    expect(mod.name).toBe("app.wasm");
    expect(mod.type).toBe("application/wasm");
    expect(sha(new Uint8Array(await mod.arrayBuffer()))).toBe(sha(module));
    expect(await (form.get("manifest") as File).text()).toBe("module: app.wasm\n");
    const files = form.getAll("files") as File[];
    // Quotes and newlines are percent-escaped on the wire (as browsers do) and decoded by the parser.
    expect(files.map((f) => f.name)).toEqual(["static/index.html", 'static/we"ird\nname ü.txt']);
    expect(await files[0]!.text()).toBe("<h1>hi</h1>");
  });

  it("streams a 20 MiB module from disk in chunks, reporting progress up to the exact total", async () => {
    const big = randomBytes(20 * 1024 * 1024);
    const file = path.join(tmp.dir, "big.wasm");
    await writeFile(file, big);
    const body = createMultipartBody([
      { name: "version", value: "1.0.0" },
      { name: "module", filename: "big.wasm", source: file, size: big.length },
    ]);
    const progress: number[] = [];
    const stream = body.stream((sent, total) => {
      expect(total).toBe(body.length);
      progress.push(sent);
    });
    const form = await new Response(stream, { headers: { "content-type": body.contentType } }).formData();
    const mod = form.get("module") as File;
    expect(mod.size).toBe(big.length);
    expect(sha(new Uint8Array(await mod.arrayBuffer()))).toBe(sha(big));
    // Many chunks, never more than the stream's chunk size at a time, ending at the whole body.
    expect(progress.length).toBeGreaterThan(40);
    expect(progress.every((v, i) => i === 0 || v > progress[i - 1]!)).toBe(true);
    expect(progress.at(-1)).toBe(body.length);
  });

  it("fails the stream when a file's size changed since it was measured", async () => {
    const file = path.join(tmp.dir, "m.wasm");
    await writeFile(file, Buffer.alloc(100));
    const body = createMultipartBody([{ name: "module", filename: "m.wasm", source: file, size: 50 }]);
    await expect(collect(body.stream())).rejects.toThrow(/changed while it was being uploaded/);
  });

  it("gives each body its own random boundary", () => {
    const a = createMultipartBody([{ name: "a", value: "1" }]);
    const b = createMultipartBody([{ name: "a", value: "1" }]);
    expect(a.boundary).not.toBe(b.boundary);
    expect(a.contentType).toBe(`multipart/form-data; boundary=${a.boundary}`);
  });
});
