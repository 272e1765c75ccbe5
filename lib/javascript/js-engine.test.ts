// The committed engine module is what scripts/build-js-engine.sh produced: its checksum file
// matches, and it imports only what the platform offers (publish would refuse it otherwise).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkImports } from "@/lib/wasm/check-imports";
import { JS_ENGINE_PATH } from "./js-app";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DIST = path.dirname(path.join(ROOT, JS_ENGINE_PATH));

describe("the committed JavaScript engine", () => {
  const bytes = readFileSync(path.join(ROOT, JS_ENGINE_PATH));

  it("matches its sha256 file", () => {
    const [expected, name] = readFileSync(path.join(DIST, "wasmcompute-js.wasm.sha256"), "utf8").trim().split(/\s+/);
    expect(name).toBe("wasmcompute-js.wasm");
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(expected);
  });

  it("ships QuickJS's licence and version", () => {
    expect(readFileSync(path.join(DIST, "QUICKJS-VERSION"), "utf8").trim()).toBe("2025-04-26");
    expect(readFileSync(path.join(DIST, "QUICKJS-LICENSE"), "utf8")).toMatch(/Permission is hereby granted, free of charge/);
  });

  it("imports only what the platform offers", () => {
    expect(checkImports(new WebAssembly.Module(bytes)).unsupported).toEqual([]);
  });
});
