// lib/wasm runs unchanged in Node workers and in browsers: guard against a
// Node built-in or a DOM-only global creeping into the host code.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const dir = import.meta.dirname;
const sources = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

describe("lib/wasm is isomorphic", () => {
  it.each(sources)("%s imports only lib/wasm modules and uses no DOM-only globals", (file) => {
    const code = readFileSync(path.join(dir, file), "utf8");
    const imports = [...code.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]);
    expect(imports.filter((spec) => !spec?.startsWith("./"))).toEqual([]);
    expect(code).not.toMatch(/\b(document|window|localStorage|process|Buffer|require)\s*[.(]/);
  });
});
