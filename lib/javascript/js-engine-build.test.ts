// The engine build is reproducible: scripts/build-js-engine.sh, run now from the sources in the
// repository (js-engine/) and QuickJS's Debian source, gives exactly the committed module's bytes.
// scripts/install-test-deps.sh (run by `npm test`) installs the toolchain and fetches the source.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { JS_ENGINE_PATH } from "./js-app";

const ROOT = path.resolve(import.meta.dirname, "../..");
const hasToolchain = spawnSync("clang", ["--version"]).status === 0 && existsSync("/usr/include/wasm32-wasi/stdio.h");
const quickjsSource = (() => {
  const found = spawnSync("bash", [path.join(ROOT, "scripts/fetch-quickjs-source.sh")], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : null;
})();
const missing = !hasToolchain
  ? "clang and wasi-libc are not installed: run scripts/install-test-deps.sh (npm test does)"
  : !quickjsSource
    ? "the QuickJS source could not be fetched: run scripts/fetch-quickjs-source.sh and see why"
    : null;

const out = mkdtempSync(path.join(os.tmpdir(), "js-engine-build-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("scripts/build-js-engine.sh", () => {
  it("rebuilds exactly the committed js-engine/dist/wasmcompute-js.wasm", () => {
    if (missing) throw new Error(`cannot rebuild the engine: ${missing}`);
    execFileSync("bash", ["scripts/build-js-engine.sh"], { cwd: ROOT, env: { ...process.env, JS_ENGINE_OUT: out, QUICKJS_SRC: quickjsSource! }, stdio: "pipe" });
    const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");
    expect(sha(path.join(out, "wasmcompute-js.wasm"))).toBe(sha(path.join(ROOT, JS_ENGINE_PATH)));
    expect(readFileSync(path.join(out, "wasmcompute-js.wasm.sha256"), "utf8")).toBe(readFileSync(path.join(ROOT, path.dirname(JS_ENGINE_PATH), "wasmcompute-js.wasm.sha256"), "utf8"));
  }, 600_000);
});
