// Snapshots of any module that exports `wizer.initialize` (lib/wasm/snapshot.ts), with hand-written
// WAT modules on the real WASI host: what initialisation leaves is what every request starts from,
// no request sees another's writes, and whatever initialisation cannot hand over declines.
import { describe, expect, it } from "vitest";
import { watToBinary } from "./test-support/compile-wat";
import { runWasi } from "./run-wasi";
import { snapshotReady, takeSnapshot, type SnapshotResult } from "./snapshot";
import type { MemorySnapshot } from "./memory-snapshot";

/**
 * A module whose init writes `init` code, and whose _start prints the byte at 1024 and the byte at
 * 200000 (past its first page: init grows the memory) as digits, then bumps both.
 */
function counterModule(init: string, extra = ""): string {
  return `(module
    (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
    (memory (export "memory") 1 8)
    (global $sp (mut i32) (i32.const 4096))
    (global $flag (mut i64) (i64.const 7))
    (data (i32.const 1024) "\\01")
    ${extra}
    (func (export "wizer.initialize") ${init})
    (func (export "_start")
      ;; "<digit><digit>" at 2048, iovec at 2056
      (i32.store8 (i32.const 2048) (i32.add (i32.const 48) (i32.load8_u (i32.const 1024))))
      (if (i32.ge_u (memory.size) (i32.const 4))
        (then (i32.store8 (i32.const 2049) (i32.add (i32.const 48) (i32.load8_u (i32.const 200000)))))
        (else (i32.store8 (i32.const 2049) (i32.const 45))))
      (i32.store (i32.const 2056) (i32.const 2048))
      (i32.store (i32.const 2060) (i32.const 2))
      (drop (call $fd_write (i32.const 1) (i32.const 2056) (i32.const 1) (i32.const 2064)))
      (i32.store8 (i32.const 1024) (i32.add (i32.load8_u (i32.const 1024)) (i32.const 1)))
      (if (i32.ge_u (memory.size) (i32.const 4))
        (then (i32.store8 (i32.const 200000) (i32.add (i32.load8_u (i32.const 200000)) (i32.const 1)))))))`;
}

/** Init: the data byte becomes 5, the memory grows to 4 pages and byte 200000 becomes 3. */
const GOOD_INIT = `
  (i32.store8 (i32.const 1024) (i32.const 5))
  (drop (memory.grow (i32.const 3)))
  (i32.store8 (i32.const 200000) (i32.const 3))`;

async function prepare(wat: string): Promise<WebAssembly.Module> {
  const ready = snapshotReady(await watToBinary(wat));
  if (!ready) throw new Error("snapshotReady declined the module");
  return new WebAssembly.Module(ready);
}

function snapshotOf(result: SnapshotResult): MemorySnapshot {
  if (!("snapshot" in result)) throw new Error(`declined: ${result.declined}`);
  return result.snapshot;
}

const stdout = (module: WebAssembly.Module, snapshot?: MemorySnapshot) =>
  new TextDecoder().decode(runWasi({ module, ...(snapshot ? { snapshot } : {}) }).stdout);

describe("snapshots", () => {
  it("starts every run from what initialisation left, and no run sees another's writes", async () => {
    const module = await prepare(counterModule(GOOD_INIT));
    expect(stdout(module)).toBe("1-"); // without a snapshot: the data segment, one page
    const snapshot = snapshotOf(takeSnapshot({ module }));
    expect(snapshot.pages).toBe(4);
    // Only the granules initialisation changed are kept: the one at 1024 and the one at 200000.
    expect(snapshot.runs.map((r) => r.offset)).toEqual([0, 200000 - (200000 % 4096)]);
    expect(stdout(module, snapshot)).toBe("53");
    expect(stdout(module, snapshot)).toBe("53");
  });

  it("restores into a given memory (the gateway's recycled ones) and refuses one that cannot grow to the snapshot", async () => {
    const wat = counterModule(GOOD_INIT).replace('(memory (export "memory") 1 8)', '(import "host" "memory" (memory 1 8)) (export "memory" (memory 0))');
    const module = await prepare(wat);
    const snapshot = snapshotOf(takeSnapshot({ module, extraImports: { host: { memory: new WebAssembly.Memory({ initial: 1, maximum: 8 }) } } }));
    const run = (memory: WebAssembly.Memory) => runWasi({ module, snapshot, extraImports: { host: { memory } } });
    expect(new TextDecoder().decode(run(new WebAssembly.Memory({ initial: 4, maximum: 8 })).stdout)).toBe("53");
    const small = run(new WebAssembly.Memory({ initial: 1, maximum: 2 }));
    expect(small.error?.kind).toBe("instantiate");
    expect(small.error?.message).toMatch(/the snapshot needs 4 pages of memory/);
  });

  it("declines what a snapshot cannot hand over: a trap, an exit, output, a changed global", async () => {
    const declined = async (init: string) => {
      const result = takeSnapshot({ module: await prepare(counterModule(init)) });
      return "declined" in result ? result.declined : "taken";
    };
    expect(await declined("unreachable")).toMatch(/wizer\.initialize failed: guest trapped/);
    expect(await declined("(call $proc_exit (i32.const 1))")).toBe("wizer.initialize exited with code 1");
    expect(await declined(`
      (i32.store (i32.const 2056) (i32.const 1024)) (i32.store (i32.const 2060) (i32.const 1))
      (drop (call $fd_write (i32.const 1) (i32.const 2056) (i32.const 1) (i32.const 2064)))`)).toBe("wizer.initialize wrote output or logs");
    expect(await declined(`
      (i32.store (i32.const 2056) (i32.const 1024)) (i32.store (i32.const 2060) (i32.const 1))
      (drop (call $fd_write (i32.const 2) (i32.const 2056) (i32.const 1) (i32.const 2064)))`)).toBe("wizer.initialize wrote output or logs");
    expect(await declined("(global.set $flag (i64.const 8))")).toBe("wizer.initialize changed a global");
    // A global changed and changed back is as a fresh instance has it.
    expect(await declined("(global.set $sp (i32.const 1)) (global.set $sp (i32.const 4096))")).toBe("taken");
  });

  it("applies only to modules that export wizer.initialize and whose mutable globals it can read", async () => {
    expect(snapshotReady(await watToBinary(`(module (memory (export "memory") 1) (func (export "_start")))`))).toBeNull();
    const withV128 = counterModule(GOOD_INIT, "(global $v (mut v128) (v128.const i64x2 0 0))");
    expect(snapshotReady(await watToBinary(withV128))).toBeNull();
    // The rewrite only adds exports: the module runs as before.
    const module = await prepare(counterModule(GOOD_INIT));
    expect(WebAssembly.Module.exports(module).filter((e) => e.kind === "global").length).toBe(2);
    expect(stdout(module)).toBe("1-");
  });
});
