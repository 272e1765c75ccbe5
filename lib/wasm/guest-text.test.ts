// Runs the guest-text cases (guest-text-cases.ts) in Node, their WAT compiled with wabt;
// e2e/wasm-host runs the same list in Chromium. The round trip under fuzzing is in
// fuzz-cgi-wasi-cases.ts (also run in both).
import { describe, expect, it } from "vitest";
import { GUEST_TEXT_CASES } from "./guest-text-cases";
import { compileWat } from "./test-support/compile-wat";

describe("guest bytes as log text (same cases run in Chromium by e2e/wasm-host)", () => {
  for (const c of GUEST_TEXT_CASES) {
    it(c.name, async () => {
      const modules = Object.fromEntries(
        await Promise.all(Object.entries(c.wat ?? {}).map(async ([key, source]) => [key, await compileWat(source)] as const)),
      );
      expect(c.run(modules)).toEqual(c.expected);
    });
  }
});
