// Binaryen's wasm for the IDE's in-browser AssemblyScript compiler (lib/editor/compile-binaryen-browser.ts),
// split out of node_modules/binaryen/index.js once per process. Content-addressed: cached for a year.
import { binaryenWasmFile, splitBinaryen, type BinaryenParts } from "@/lib/editor/binaryen-split";

export const runtime = "nodejs";

let parts: BinaryenParts | null = null;

export async function GET(_request: Request, { params }: { params: Promise<{ file: string }> }) {
  const { file } = await params;
  parts ??= splitBinaryen();
  if (file !== binaryenWasmFile(parts.sha256)) {
    return new Response(`No such compiler file. This console serves ${binaryenWasmFile(parts.sha256)}: reload the editor.\n`, { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
  }
  return new Response(parts.wasm as Uint8Array<ArrayBuffer>, {
    headers: {
      "content-type": "application/wasm",
      "content-length": String(parts.wasm.length),
      "cache-control": "public, max-age=31536000, immutable",
      etag: `"${parts.sha256}"`,
    },
  });
}
