// Runs the property-based fuzz cases (fuzz-cgi-wasi-cases.ts) in Node with their full number of
// runs and fast-check's global seed (lib/testing/fast-check-seed.ts: fixed under CI, FC_SEED to
// replay); e2e/wasm-host runs the same list in Chromium with fewer runs and a fixed seed.
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FUZZ_CGI_WASI_CASES } from "./fuzz-cgi-wasi-cases";

const fixtures = new Map<string, WebAssembly.Module>();
const fixture = (file: string) => {
  let module = fixtures.get(file);
  if (!module) fixtures.set(file, (module = new WebAssembly.Module(readFileSync(path.resolve(import.meta.dirname, "../../fixtures/wasm", file)))));
  return module;
};

describe("the host's edges with the guest under fuzzing (same cases run in Chromium by e2e/wasm-host)", () => {
  for (const c of FUZZ_CGI_WASI_CASES) {
    it(c.name, () => {
      const modules = Object.fromEntries(Object.entries(c.fixtures ?? {}).map(([key, file]) => [key, fixture(file)]));
      expect(c.run(fc, modules, { numRuns: c.numRuns })).toEqual({ ...c.expected, runs: c.numRuns });
    });
  }
});
