// Binaryen's npm build (node_modules/binaryen/index.js) carries its ~9 MB wasm inline as a 13 MB
// JS string, which made the IDE's compile worker a ~23 MB script to download, parse and decode
// before the first AssemblyScript compile. This splits that file into the JS glue (bundled into the
// worker, ~180 KB: binaryen-glue.generated.js) and the wasm bytes (served by the console at
// /compiler/binaryen.<hash>.wasm, app/compiler/[file]/route.ts, and compiled while it streams).
// Node only: the generator and the route use it.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

export const BINARYEN_DIR = path.resolve(process.cwd(), "node_modules/binaryen");

export interface BinaryenParts {
  version: string;
  /** ES module source: `export default` Emscripten's factory (call it with { instantiateWasm }). */
  glue: string;
  wasm: Uint8Array;
  sha256: string;
}

/** The end of a template literal opened just before `from` (skips escaped backticks). */
function literalEnd(text: string, from: number): number {
  for (let i = from; ; i++) {
    i = text.indexOf("`", i);
    if (i < 0) throw new Error("binaryen: unterminated wasm literal");
    let slashes = 0;
    for (let k = i - 1; text[k] === "\\"; k--) slashes++;
    if (slashes % 2 === 0) return i;
  }
}

export function splitBinaryen(source = readFileSync(path.join(BINARYEN_DIR, "index.js"), "utf8")): BinaryenParts {
  const version = (JSON.parse(readFileSync(path.join(BINARYEN_DIR, "package.json"), "utf8")) as { version: string }).version;
  // The wasm is passed through a decoder function: `DECODE(\`\0asm…\`)`.
  const literal = /(\w+)\(`\\0asm/.exec(source);
  if (!literal) throw new Error(`binaryen ${version}: the inline wasm literal was not found; the build layout changed (see lib/editor/binaryen-split.ts)`);
  const start = literal.index + literal[1]!.length + 2;
  const end = literalEnd(source, start);
  // Evaluating the literal undoes its escapes; the decoder maps each char code to a byte (`~n>>8&n`).
  const text = new Function(`return \`${source.slice(start, end)}\``)() as string;
  const wasm = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const n = text.charCodeAt(i);
    wasm[i] = (~n >> 8) & n;
  }
  if (!WebAssembly.validate(wasm)) throw new Error(`binaryen ${version}: the extracted wasm does not validate`);

  // The module instantiates itself at import (`var x=await factory(),y=x;export{y as default};`):
  // export the factory instead, so the importer passes instantiateWasm.
  const tail = /var (\w+)=await (\w+)\(\),(\w+)=\1;export\{\3 as default\};?\s*$/;
  const withoutWasm = `${source.slice(0, literal.index)}(()=>{throw Error("binaryen: pass instantiateWasm, the wasm is served separately")})()${source.slice(end + 2)}`;
  if (!tail.test(withoutWasm)) throw new Error(`binaryen ${version}: the module's self-instantiation was not found; the build layout changed`);
  // Emscripten probes `new URL(".", import.meta.url)` in browsers (to find its script folder, unused
  // here); bundlers read that as an asset reference to "." and warn. The probe is dropped.
  const glue = withoutWasm.replace(tail, "export default $2;\n").replace(/try\{new URL\("\.",\w+\)\}catch\{\}/, ";");
  return { version, glue, wasm, sha256: createHash("sha256").update(wasm).digest("hex") };
}

/** The file name the console serves the wasm under (content-addressed: cached for a year). */
export const binaryenWasmFile = (sha256: string) => `binaryen.${sha256.slice(0, 16)}.wasm`;
