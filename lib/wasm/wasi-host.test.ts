// Runs the WasiHost cases (wasi-host-cases.ts) in Node; e2e/wasm-host runs the same list in Chromium.
import { describe, expect, it } from "vitest";
import { WASI_HOST_CASES } from "./wasi-host-cases";

describe("WasiHost (same cases run in Chromium by e2e/wasm-host)", () => {
  for (const c of WASI_HOST_CASES) it(c.name, () => expect(c.run({})).toEqual(c.expected));
});
