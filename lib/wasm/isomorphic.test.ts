// lib/wasm and lib/deployment-record run unchanged in Node workers, the console and browsers:
// guard against a Node built-in, a DOM-only global or a Node-only part of lib/ creeping in.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const lib = path.join(import.meta.dirname, "..");
/** Each isomorphic folder and the packages it may import besides its own modules. */
const FOLDERS: { folder: string; packages: string[] }[] = [
  { folder: "wasm", packages: [] },
  // The record may use lib/wasm's isomorphic route pattern (never the other way round).
  { folder: "deployment-record", packages: ["zod", "../wasm/route-pattern"] },
];

const sources = FOLDERS.flatMap(({ folder, packages }) =>
  readdirSync(path.join(lib, folder))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((file) => ({ file: `${folder}/${file}`, packages })),
);

describe("isomorphic folders", () => {
  it.each(sources)("lib/$file imports only its own folder's modules and uses no Node or DOM-only globals", ({ file, packages }) => {
    const code = readFileSync(path.join(lib, file), "utf8");
    const imports = [...code.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]);
    expect(imports.filter((spec) => !spec?.startsWith("./") && !packages.includes(spec!))).toEqual([]);
    expect(code).not.toMatch(/\b(document|window|localStorage|process|Buffer|require)\s*[.(]/);
  });
});
