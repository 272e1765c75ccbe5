import { describe, expect, it } from "vitest";
import { CORE_CASES } from "./core-cases";
import { compileWat } from "./test-support/compile-wat";

describe("core host behaviour (same cases run in Chromium by e2e/wasm-host)", () => {
  for (const c of CORE_CASES) {
    it(c.name, async () => {
      const module = await compileWat(c.wat);
      expect(c.run(module)).toEqual(c.expected);
    });
  }
});
