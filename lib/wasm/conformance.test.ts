// Runs every wasi-testsuite wasm32-wasip1 test through runWasi. The suite is
// vendored in fixtures/wasi-testsuite (stripped; see its SOURCE.md) and is
// read-only: directories a test writes into are loaded into writable in-memory copies.
// e2e/wasm-host runs the same suite in Chromium and expects identical results.
import { describe, expect, it } from "vitest";
import { SKIPPED_TESTS, TOOLCHAINS, listTests, runSuiteTest, summarizeSuite, type TestOutcome } from "./wasi-testsuite";
import { readSuite } from "./test-support/read-suite";

describe("wasi-testsuite (wasm32-wasip1)", () => {
  const files = readSuite();
  const outcomes: TestOutcome[] = [];

  for (const toolchain of TOOLCHAINS) {
    describe(toolchain, () => {
      const names = listTests(files, toolchain);
      it("has tests", () => expect(names.length).toBeGreaterThan(0));
      for (const name of names) {
        const skip = SKIPPED_TESTS[`${toolchain}/${name}`];
        it.skipIf(skip !== undefined)(name, () => {
          const outcome = runSuiteTest(files, toolchain, name);
          outcomes.push(outcome);
          if (outcome.status === "failed") expect.fail(outcome.detail);
        });
        if (skip !== undefined) outcomes.push({ toolchain, name, status: "skipped", detail: skip });
      }
    });
  }

  it("summary", () => {
    const lines = summarizeSuite(outcomes);
    console.log(lines.join("\n"));
    expect(outcomes.filter((o) => o.status === "failed")).toEqual([]);
  });
});
