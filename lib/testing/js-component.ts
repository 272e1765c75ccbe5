// A JavaScript handler as a WASI 0.2 component (componentize-js, scripts/componentize-js.mjs), built
// once per source and kept in the user's cache: building takes about 10–20 s and 800 MB, and the
// 13 MB result is too large to commit.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { findRepoRoot } from "@/lib/repo-root";

const run = promisify(execFile);

function cacheDir(): string {
  return path.join(process.env.WASMCOMPUTE_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "wasmcompute"), "components");
}

/** The component built from `source` (a path under fixtures/component), from the cache when it was built before. */
export async function jsComponent(source: string): Promise<Uint8Array> {
  const file = path.join(findRepoRoot(), source);
  const script = path.join(findRepoRoot(), "scripts/componentize-js.mjs");
  const key = createHash("sha256").update(readFileSync(file)).update(readFileSync(script)).digest("hex").slice(0, 16);
  const out = path.join(cacheDir(), `${path.basename(path.dirname(file))}-${key}.wasm`);
  mkdirSync(cacheDir(), { recursive: true });
  // One build at a time (test files run in parallel, and each build takes ~800 MB): the others wait for it.
  const lock = `${out}.lock`;
  for (const started = Date.now(); !existsSync(out); ) {
    let mine = false;
    try {
      mkdirSync(lock);
      mine = true;
    } catch {
      if (Date.now() - started > 300_000) throw new Error(`waited 5 minutes for another process to build ${out} (remove ${lock} if none is running)`);
      await new Promise((r) => setTimeout(r, 500));
    }
    if (!mine) continue;
    try {
      if (!existsSync(out)) {
        const partial = `${out}.${process.pid}.partial`;
        await run(process.execPath, [script, file, partial], { cwd: findRepoRoot(), maxBuffer: 16 * 1024 * 1024 });
        renameSync(partial, out);
      }
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return new Uint8Array(readFileSync(out));
}
