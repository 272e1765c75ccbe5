/**
 * `npm run bench`: runs every bench/*.ts (except this file) in its own process, one after the
 * other, so one benchmark's threads and heap never skew the next. Never part of `npm test`.
 * Ends with one table of every file's headline figures (see bench/lib/figures.ts).
 *
 *   BENCH_ONLY=gateway,worker-transfer   run only these
 */
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { FIGURE_MARK, type Figure } from "./lib/figures";

const dir = import.meta.dirname;
const only = process.env.BENCH_ONLY?.split(",").map((s) => s.trim());
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && f !== "run.ts" && f !== "soak.ts" && !f.endsWith(".test.ts"))
  .filter((f) => !only || only.includes(path.basename(f, ".ts")))
  .sort();

function runBench(file: string, figures: (Figure & { bench: string })[]): Promise<number | string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(dir, file)], { stdio: ["ignore", "pipe", "inherit"] });
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (line.startsWith(FIGURE_MARK)) figures.push({ bench: path.basename(file, ".ts"), ...(JSON.parse(line.slice(FIGURE_MARK.length)) as Figure) });
      else console.log(line);
    });
    child.on("exit", (code, signal) => resolve(code ?? signal ?? "?"));
  });
}

const figures: (Figure & { bench: string })[] = [];
let failed = 0;
for (const file of files) {
  console.log(`\n=== bench/${file} ===`);
  const started = performance.now();
  const status = await runBench(file, figures);
  if (status !== 0) {
    failed++;
    console.error(`bench/${file} failed (exit ${status})`);
  }
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

const digits = (n: number) => (Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2);
console.log(`\n=== summary: ${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.availableParallelism()} cores, node ${process.version} ===`);
console.table(
  figures.map((f) => ({
    bench: f.bench,
    figure: f.name,
    value: `${f.value.toFixed(digits(f.value))} ${f.unit}`,
    goal: f.goal ?? "",
  })),
);
process.exit(failed ? 1 : 0);
