// Runs the _routes and checkImports cases (wagi-routes-cases.ts) in Node, their WAT compiled with
// wabt; e2e/wasm-host runs the same list in Chromium.
import { describe, expect, it } from "vitest";
import { compileWat } from "./test-support/compile-wat";
import { WAGI_ROUTES_CASES } from "./wagi-routes-cases";

describe("_routes and checkImports (same cases run in Chromium by e2e/wasm-host)", () => {
  for (const c of WAGI_ROUTES_CASES) {
    it(c.name, async () => {
      const modules = Object.fromEntries(
        await Promise.all(Object.entries(c.wat ?? {}).map(async ([key, source]) => [key, await compileWat(source)] as const)),
      );
      expect(c.run(modules)).toEqual(c.expected);
    });
  }
});
