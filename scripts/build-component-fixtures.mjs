#!/usr/bin/env node
// Builds fixtures/component/NAME.wat (hand-written core modules) into NAME.component.wasm beside
// them: WAT → core module (wabt) → embed the world's WIT (component-type custom section) →
// component (wasm-tools' componentNew, from @bytecodealliance/jco-transpile). Offline; the WIT is
// the vendored lib/wasm/component/wit/. A source picks its world with a `;; world: NAME` line
// (default: proxy, i.e. wasi:http/proxy@0.2.0). The outputs are committed.
// Usage: node scripts/build-component-fixtures.mjs [--check] [NAME...]
//   --check writes nothing: it exits 1 naming each output that differs from a fresh build.
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
// The wasm-tools component reads witPath through preview2-shim's filesystem, which sees only its
// preopens: expose the whole tree (build time only, our own files).
import { _setPreopens } from "@bytecodealliance/preview2-shim/filesystem";
import { componentEmbed, componentNew } from "@bytecodealliance/jco-transpile/wasm-tools";
import wabtInit from "wabt";

_setPreopens({ "/": "/" });

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const witPath = path.join(root, "lib/wasm/component/wit");
const dir = path.join(root, "fixtures/component");
const wabt = await wabtInit();

const check = process.argv.includes("--check");
const only = process.argv.slice(2).filter((a) => a !== "--check");
const stale = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith(".wat")).sort()) {
  const name = file.slice(0, -".wat".length);
  if (only.length > 0 && !only.includes(name)) continue;
  const source = readFileSync(path.join(dir, file), "utf8");
  const world = /^;; world: (\S+)$/m.exec(source)?.[1] ?? "proxy";
  const mod = wabt.parseWat(file, source, {});
  let core;
  try {
    core = mod.toBinary({}).buffer;
  } finally {
    mod.destroy();
  }
  const embedded = await componentEmbed({ binary: core, witPath, world });
  const component = await componentNew(embedded, []);
  const out = path.join(dir, `${name}.component.wasm`);
  if (check) {
    if (!existsSync(out) || !Buffer.from(component).equals(readFileSync(out))) stale.push(path.relative(root, out));
    continue;
  }
  writeFileSync(out, component);
  console.log(`${path.relative(root, out)} (${world}) ${component.length} bytes`);
}
if (stale.length > 0) {
  console.error(`out of date (run node scripts/build-component-fixtures.mjs): ${stale.join(", ")}`);
  process.exit(1);
}
