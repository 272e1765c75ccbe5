// The wasm the IDE fetches from the console, never from a CDN: Binaryen's (the in-browser
// AssemblyScript compiler, lib/editor/compile-binaryen-browser.ts, split out of
// node_modules/binaryen/index.js once per process), esbuild-wasm's (JavaScript apps' bundler,
// lib/editor/compile-js.ts) and the JavaScript engine the preview runs (lib/javascript/js-app.ts).
import { readFileSync } from "node:fs";
import path from "node:path";
import { binaryenWasmFile, splitBinaryen, type BinaryenParts } from "@/lib/editor/binaryen-split";
import { JS_ENGINE_URL, esbuildWasmUrl } from "@/lib/editor/compile-js";
import { JS_ENGINE_PATH } from "@/lib/javascript/js-app";

export const runtime = "nodejs";

let parts: BinaryenParts | null = null;
const ESBUILD_DIR = path.resolve(process.cwd(), "node_modules/esbuild-wasm");
const esbuildVersion = () => (JSON.parse(readFileSync(path.join(ESBUILD_DIR, "package.json"), "utf8")) as { version: string }).version;
const fileOf = (url: string) => url.slice(url.lastIndexOf("/") + 1);

const wasmResponse = (bytes: Uint8Array, cacheControl: string) =>
  new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { "content-type": "application/wasm", "content-length": String(bytes.length), "cache-control": cacheControl } });

export async function GET(_request: Request, { params }: { params: Promise<{ file: string }> }) {
  const { file } = await params;
  parts ??= splitBinaryen();
  if (file === binaryenWasmFile(parts.sha256)) {
    const res = wasmResponse(parts.wasm, "public, max-age=31536000, immutable");
    res.headers.set("etag", `"${parts.sha256}"`);
    return res;
  }
  // Named by version (content-addressed in effect): cached for a year.
  if (file === fileOf(esbuildWasmUrl(esbuildVersion()))) return wasmResponse(readFileSync(path.join(ESBUILD_DIR, "esbuild.wasm")), "public, max-age=31536000, immutable");
  // The engine keeps its name across rebuilds: revalidated on each load.
  if (file === fileOf(JS_ENGINE_URL)) return wasmResponse(readFileSync(path.resolve(process.cwd(), JS_ENGINE_PATH)), "no-cache");
  return new Response(`No such compiler file. This console serves ${binaryenWasmFile(parts.sha256)}, ${fileOf(esbuildWasmUrl(esbuildVersion()))} and ${fileOf(JS_ENGINE_URL)}: reload the editor.\n`, {
    status: 404,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}
