// The publish reader on multipart bodies as a socket delivers them: in small pieces, with turns
// of the event loop between them, each part's bytes exactly what was sent.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { publishForm } from "@/lib/testing/console-client";
import { readPublishForm } from "./read-publish-form";

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

async function requestOf(form: FormData, pieceBytes: number, { contentLength = true } = {}): Promise<Request> {
  const encoded = new Response(form);
  const type = encoded.headers.get("content-type")!;
  const body = new Uint8Array(await encoded.arrayBuffer());
  let at = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (at >= body.length) return controller.close();
      await new Promise((r) => setImmediate(r));
      controller.enqueue(body.slice(at, at + pieceBytes));
      at += pieceBytes;
    },
  });
  const headers: Record<string, string> = { "content-type": type };
  if (contentLength) headers["content-length"] = String(body.length);
  return new Request("http://console.invalid/", { method: "POST", body: stream, headers, duplex: "half" } as RequestInit);
}

describe("readPublishForm", () => {
  const module = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7) % 251);
  const manifest = "routes:\n  - path: /...\n    entrypoint: _start\n";
  const files = { "static/a.txt": "hello a", "static/deep/b.bin": new Uint8Array(9000).fill(3), "empty.txt": "" };

  for (const pieceBytes of [7, 1000, 64 * 1024]) {
    for (const contentLength of [true, false]) {
      it(`reads every part whole in ${pieceBytes}-byte pieces${contentLength ? "" : " without Content-Length"}`, async () => {
        const input = await readPublishForm(await requestOf(publishForm("1.2.3", module, manifest, files), pieceBytes, { contentLength }));
        expect(input.version).toBe("1.2.3");
        expect(input.manifestText).toBe(manifest);
        expect(sha256(input.module)).toBe(sha256(module));
        expect(input.files.map((f) => [f.path, f.data.byteLength, f.sha256])).toEqual(
          Object.entries(files).map(([path, data]) => {
            const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
            return [path, bytes.byteLength, sha256(bytes)];
          }),
        );
        for (const f of input.files) expect(f.sha256).toBe(sha256(f.data));
      });
    }
  }

  it("refuses what is not a publish form, with the field to fix", async () => {
    const noModule = new FormData();
    noModule.set("version", "1.0.0");
    await expect(readPublishForm(await requestOf(noModule, 1000))).rejects.toMatchObject({ status: 422, details: { field: "module" } });
    await expect(readPublishForm(new Request("http://x/", { method: "POST", body: "{}", headers: { "content-type": "application/json" } }))).rejects.toBeInstanceOf(AppError);
  });
});
