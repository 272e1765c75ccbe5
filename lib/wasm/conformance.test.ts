// Runs every wasi-testsuite wasm32-wasip1 test through runWasi. The suite lives
// beside the repo (../shared/conformance/wasi-testsuite) and is read-only:
// directories a test writes into are loaded into writable in-memory copies.
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TOOLCHAINS, listTests, runSuiteTest, summarizeSuite, type SuiteFiles, type TestOutcome } from "./wasi-testsuite";

const repoRoot = path.resolve(import.meta.dirname, "../..");
export const SUITE_ROOT = path.resolve(repoRoot, "../shared/conformance/wasi-testsuite");

function readSuite(root: string): SuiteFiles {
  const files: SuiteFiles = new Map();
  const walk = (rel: string) => {
    const entries = readdirSync(path.join(root, rel));
    if (entries.length === 0) files.set(`${rel}/`, new Uint8Array(0));
    for (const name of entries) {
      const childRel = `${rel}/${name}`;
      if (statSync(path.join(root, childRel)).isDirectory()) walk(childRel);
      else files.set(childRel, readFileSync(path.join(root, childRel)));
    }
  };
  for (const t of TOOLCHAINS) walk(`tests/${t}/testsuite/wasm32-wasip1`);
  return files;
}

describe("wasi-testsuite (wasm32-wasip1)", () => {
  const files = readSuite(SUITE_ROOT);
  const outcomes: TestOutcome[] = [];

  for (const toolchain of TOOLCHAINS) {
    describe(toolchain, () => {
      for (const name of listTests(files, toolchain)) {
        it(name, () => {
          const outcome = runSuiteTest(files, toolchain, name);
          outcomes.push(outcome);
          if (outcome.status === "failed") expect.fail(outcome.detail);
        });
      }
    });
  }

  it("summary", () => {
    const lines = summarizeSuite(outcomes);
    console.log(lines.join("\n"));
    expect(lines.length).toBeGreaterThanOrEqual(TOOLCHAINS.length);
  });
});
