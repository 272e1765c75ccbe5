// Runs the wagiEnvironment/wagiArgs cases (wagi-environment-cases.ts) in Node; e2e/wasm-host runs
// the same list in Chromium.
import { describe, expect, it } from "vitest";
import { WAGI_ENVIRONMENT_CASES } from "./wagi-environment-cases";

describe("wagiEnvironment and wagiArgs (same cases run in Chromium by e2e/wasm-host)", () => {
  for (const c of WAGI_ENVIRONMENT_CASES) it(c.name, () => expect(c.run({})).toEqual(c.expected));
});
