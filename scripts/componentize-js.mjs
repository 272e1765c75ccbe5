#!/usr/bin/env node
// Makes a WASI 0.2 component of a JavaScript fetch-event handler with componentize-js (offline;
// about 20 s and 800 MB of memory, so tests call it once and keep the result in the cache):
//   node scripts/componentize-js.mjs app.js out.wasm
// The WIT is our vendored wasi:http 0.2 (lib/wasm/component/wit), its version rewritten to the one
// componentize-js's engine (StarlingMonkey) implements.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, cpSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { _setPreopens } from "@bytecodealliance/preview2-shim/filesystem";
import { componentize } from "@bytecodealliance/componentize-js";

// preview2-shim (which componentize-js's tools read files through) preopens nothing by default.
_setPreopens({ "/": "/" });

const ENGINE_WASI_VERSION = "0.2.10";
const [source, out] = process.argv.slice(2);
if (!source || !out) {
  console.error("usage: node scripts/componentize-js.mjs app.js out.wasm");
  process.exit(2);
}
const vendoredWit = path.join(import.meta.dirname, "../lib/wasm/component/wit/deps");
const wit = mkdtempSync(path.join(os.tmpdir(), "wasmcompute-wit-"));
try {
  cpSync(vendoredWit, path.join(wit, "deps"), { recursive: true });
  for (const file of readdirSync(path.join(wit, "deps"), { recursive: true })) {
    const p = path.join(wit, "deps", String(file));
    if (p.endsWith(".wit")) writeFileSync(p, readFileSync(p, "utf8").replaceAll("@0.2.0", `@${ENGINE_WASI_VERSION}`));
  }
  writeFileSync(path.join(wit, "world.wit"), `package local:app;\nworld app { include wasi:http/proxy@${ENGINE_WASI_VERSION}; }\n`);
  const { component } = await componentize({ sourcePath: path.resolve(source), witPath: wit, worldName: "app" });
  writeFileSync(out, component);
} finally {
  rmSync(wit, { recursive: true, force: true });
}
