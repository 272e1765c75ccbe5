// The Rust SDK for outbound HTTP (sdk/rust/wasmcompute_http.rs), checked with cargo on this
// machine's own target: its tests drive the SDK's code against a stand-in of the host imports, and
// a check compiles the real wasm32 import declarations with that code. It is not built for wasm32
// here (no wasm32 standard library is installed), so this proves the Rust, not the linking.
import { execFileSync, spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const CRATE = path.resolve(import.meta.dirname, "../../sdk/rust");
const hasCargo = spawnSync("cargo", ["--version"], { stdio: "ignore" }).status === 0;
// Outside the repository: nothing is written into sdk/rust.
const env = { ...process.env, CARGO_TARGET_DIR: path.join(os.tmpdir(), "wasmcompute-rust-sdk-target") };
const cargo = (args: string[]) => execFileSync("cargo", [...args, "--offline", "--quiet"], { cwd: CRATE, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 240_000 });

describe.skipIf(!hasCargo)("sdk/rust/wasmcompute_http.rs (skipped where cargo is not installed: the SDK is then unchecked here)", () => {
  it("passes its tests against the host stand-in (requests sent, answers read whole, refusals with their reason)", () => {
    expect(cargo(["test", "--lib"])).toMatch(/test result: ok\. 4 passed; 0 failed/);
  }, 300_000);

  it("type-checks the real wasm32 import declarations with the SDK's code and its example guest", () => {
    expect(() => cargo(["check", "--lib", "--examples", "--features", "imports-on-host"])).not.toThrow();
  }, 300_000);
});
