// A module uploaded as WebAssembly text (.wat, as WAGI serves it) is compiled with wabt on the
// way in, so publish stores and serves the binary like any other. Compile errors name the line
// and column (a 400): the text never reaches the module checks.
import wabtInit from "wabt";
import { AppError } from "@/lib/errors";
import { compileWat, type WabtLike } from "@/lib/editor/compile-wat";

let wabt: Promise<WabtLike> | undefined;

/** True for text whose first token (after whitespace and `;;` / `(; ;)` comments) opens an s-expression. */
export function looksLikeWat(bytes: Uint8Array): boolean {
  if (bytes[0] === 0x00) return false; // "\0asm"
  const head = new TextDecoder().decode(bytes.subarray(0, 4096));
  const rest = head.replace(/^(?:\s+|;;[^\n]*\n?|\(;[\s\S]*?;\))*/, "");
  return rest.startsWith("(") && !rest.startsWith("(;");
}

/** The module's binary: `bytes` as they are, or compiled from WAT. */
export async function moduleBinaryOf(bytes: Uint8Array, filename = "module.wat"): Promise<Uint8Array> {
  if (!looksLikeWat(bytes)) return bytes;
  const source = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  wabt ??= wabtInit().then((w) => w as unknown as WabtLike);
  const result = compileWat(await wabt, source, filename);
  if (result.wasm) return result.wasm;
  const shown = result.diagnostics.slice(0, 5).map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`);
  const more = result.diagnostics.length > shown.length ? ` (and ${result.diagnostics.length - shown.length} more)` : "";
  throw new AppError("BAD_REQUEST", `The module is WebAssembly text (WAT) that does not compile: ${shown.join("; ")}${more}. Fix it and publish again.`, { field: "module" });
}
