/**
 * `npm run bench`: runs every bench/*.ts (except this file) in its own process, one after the
 * other, so one benchmark's threads and heap never skew the next. Never part of `npm test`.
 *
 *   BENCH_ONLY=gateway,worker-transfer   run only these
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

const dir = import.meta.dirname;
const only = process.env.BENCH_ONLY?.split(",").map((s) => s.trim());
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && f !== "run.ts" && !f.endsWith(".test.ts"))
  .filter((f) => !only || only.includes(path.basename(f, ".ts")))
  .sort();

let failed = 0;
for (const file of files) {
  console.log(`\n=== bench/${file} ===`);
  const started = performance.now();
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(dir, file)], { stdio: "inherit" });
  if (result.status !== 0) {
    failed++;
    console.error(`bench/${file} failed (exit ${result.status ?? result.signal})`);
  }
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
process.exit(failed ? 1 : 0);
