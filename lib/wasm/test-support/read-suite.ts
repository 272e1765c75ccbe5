// Test-only, Node-only (test-support/ is never imported by the host itself):
// read the vendored WebAssembly/wasi-testsuite wasm32-wasip1 tests
// (fixtures/wasi-testsuite, see its SOURCE.md) into the path → bytes map that
// wasi-testsuite.ts runs. Tests never write to it: directories a test writes
// into are loaded into writable in-memory copies.
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { TOOLCHAINS, suiteDirectory, type SuiteFiles } from "../wasi-testsuite";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");
export const SUITE_ROOT = path.join(REPO_ROOT, "fixtures", "wasi-testsuite");

/** Every file (and empty directory, as "dir/") under the toolchains' test directories. */
export function listSuitePaths(root = SUITE_ROOT): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const entries = readdirSync(path.join(root, rel)).sort();
    if (entries.length === 0) out.push(`${rel}/`);
    for (const name of entries) {
      const childRel = `${rel}/${name}`;
      if (statSync(path.join(root, childRel)).isDirectory()) walk(childRel);
      else out.push(childRel);
    }
  };
  for (const toolchain of TOOLCHAINS) walk(suiteDirectory(toolchain));
  return out;
}

export function readSuite(root = SUITE_ROOT): SuiteFiles {
  const files: SuiteFiles = new Map();
  for (const rel of listSuitePaths(root)) {
    files.set(rel, rel.endsWith("/") ? new Uint8Array(0) : new Uint8Array(readFileSync(path.join(root, rel))));
  }
  return files;
}
