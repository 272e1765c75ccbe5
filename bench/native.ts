/**
 * CPU-heavy code: the same C kernels compiled by clang -O2 to a native executable and to
 * wasm32 (run by node's V8, as a guest is), timed alternately in the same run; prints wasm time ÷
 * native time per kernel (docs/thesis.md: where wasm loses). Needs clang with the wasm32 target
 * and wasm-ld (Debian: clang, lld); without them it says so and reports nothing.
 *
 *   BENCH_ROUNDS (default 5)
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { reportFigure } from "./lib/figures";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** No libc: the same source builds for both targets. Each kernel returns a checksum so nothing is optimised away. */
const KERNELS = `
typedef unsigned int u32;
typedef unsigned long long u64;
static unsigned char buf[1 << 20];
/* Integer work over memory: xorshift fill, then FNV-1a over the buffer, 64 passes. */
u32 hash(u32 seed) {
  u32 x = seed | 1, h = 2166136261u;
  for (u32 i = 0; i < sizeof buf; i++) { x ^= x << 13; x ^= x >> 17; x ^= x << 5; buf[i] = (unsigned char)x; }
  for (int pass = 0; pass < 64; pass++)
    for (u32 i = 0; i < sizeof buf; i++) h = (h ^ buf[i]) * 16777619u;
  return h;
}
/* Floating point: a 600 x 600 Mandelbrot set, 200 iterations at most. */
u32 mandel(u32 seed) {
  u32 inside = seed & 0;
  for (int py = 0; py < 600; py++)
    for (int px = 0; px < 600; px++) {
      double cx = -2.0 + px * (3.0 / 600), cy = -1.5 + py * (3.0 / 600), x = 0, y = 0;
      int i = 0;
      while (i < 200 && x * x + y * y < 4.0) { double t = x * x - y * y + cx; y = 2 * x * y + cy; x = t; i++; }
      inside += i;
    }
  return inside;
}
`;
const NATIVE_MAIN = `
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
u32 hash(u32); u32 mandel(u32);
int main(int argc, char **argv) {
  u32 (*f)(u32) = argv[1][0] == 'h' ? hash : mandel;
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  u32 r = f((u32)atoi(argv[2]));
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("%u %.3f\\n", r, (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6);
  return 0;
}
`;

const dir = mkdtempSync(path.join(os.tmpdir(), "bench-native-"));
try {
  writeFileSync(path.join(dir, "kernels.c"), KERNELS);
  writeFileSync(path.join(dir, "main.c"), KERNELS + NATIVE_MAIN);
  const wasmBuild = spawnSync("clang", ["--target=wasm32", "-O2", "-nostdlib", "-Wl,--no-entry", "-Wl,--export=hash", "-Wl,--export=mandel", "-o", "k.wasm", "kernels.c"], { cwd: dir, encoding: "utf8" });
  const nativeBuild = spawnSync("clang", ["-O2", "-o", "k", "main.c"], { cwd: dir, encoding: "utf8" });
  // Native code may also use every instruction of this CPU (AVX…); wasm has only its 128-bit SIMD, and clang emits none of it
  // unasked. No fused multiply-add, which wasm lacks: it would change the floating-point results.
  const tunedBuild = spawnSync("clang", ["-O2", "-march=native", "-ffp-contract=off", "-o", "k-native", "main.c"], { cwd: dir, encoding: "utf8" });
  if (wasmBuild.status !== 0 || nativeBuild.status !== 0 || tunedBuild.status !== 0) {
    console.log(`clang with the wasm32 target is needed (apt-get install clang lld): ${(wasmBuild.stderr || nativeBuild.stderr || wasmBuild.error?.message || "").trim().split("\n")[0]}`);
    process.exit(0);
  }
  const { instance } = await WebAssembly.instantiate(readFileSync(path.join(dir, "k.wasm")));
  const exports = instance.exports as Record<string, (seed: number) => number>;

  const runWasm = (kernel: string) => {
    const started = performance.now();
    const result = exports[kernel]!(1) >>> 0;
    return { result, ms: performance.now() - started };
  };
  const runNative = (kernel: string, binary = "k") => {
    const [result, ms] = spawnSync(path.join(dir, binary), [kernel, "1"], { encoding: "utf8" }).stdout.trim().split(" ");
    return { result: Number(result), ms: Number(ms) };
  };

  const rows = [];
  for (const kernel of ["hash", "mandel"]) {
    runWasm(kernel); // V8 tiers the module up (Liftoff → TurboFan) on first use; measure the optimised code
    const ratios = { native: [] as number[], tuned: [] as number[] };
    const times = { wasm: [] as number[], native: [] as number[], tuned: [] as number[] };
    for (let i = 0; i < ROUNDS; i++) {
      const w = runWasm(kernel);
      const n = runNative(kernel);
      const t = runNative(kernel, "k-native");
      if (w.result !== n.result || w.result !== t.result) throw new Error(`${kernel}: wasm ${w.result}, native ${n.result}, -march=native ${t.result}`);
      times.wasm.push(w.ms);
      times.native.push(n.ms);
      times.tuned.push(t.ms);
      ratios.native.push(w.ms / n.ms);
      ratios.tuned.push(w.ms / t.ms);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    rows.push({
      kernel,
      "native ms": median(times.native).toFixed(1),
      "-march=native ms": median(times.tuned).toFixed(1),
      "wasm ms": median(times.wasm).toFixed(1),
      "wasm ÷ native": median(ratios.native).toFixed(2),
      "wasm ÷ -march=native": median(ratios.tuned).toFixed(2),
    });
    reportFigure({ name: `CPU-heavy C (${kernel}): wasm in V8 ÷ native (clang -O2), time`, value: median(ratios.native), unit: "×" });
    reportFigure({ name: `CPU-heavy C (${kernel}): wasm in V8 ÷ native -march=native, time`, value: median(ratios.tuned), unit: "×" });
  }
  console.log(`\nThe same C, clang -O2, native vs wasm32 in node ${process.version} (medians of ${ROUNDS} alternating rounds, load average ${os.loadavg()[0]!.toFixed(1)})`);
  console.table(rows);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
