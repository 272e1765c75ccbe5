// The editor's copy of the AssemblyScript SDK is generated from sdk/assemblyscript/index.ts (the
// one users get): they must never drift apart.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { AS_SDK_SOURCE } from "./as-sdk";

it("is sdk/assemblyscript/index.ts, byte for byte (else run node scripts/generate-as-sdk.mjs)", () => {
  const source = readFileSync(path.resolve(import.meta.dirname, "../../sdk/assemblyscript/index.ts"), "utf8");
  expect(AS_SDK_SOURCE).toBe(source);
});
