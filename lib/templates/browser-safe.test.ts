// The IDE's bundle loads the catalog (components/editor/ide.tsx, lib/editor/compile-worker.ts):
// these files import no Node built-in and nothing beyond each other (types aside), so the server's
// file reading (template-files.ts) never reaches the browser.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const BROWSER_FILES = ["templates.ts", "template-sources.ts", "js-template-sources.ts", "wat-strings.ts"];
/** Leaves outside the folder the catalog may import: they import nothing themselves (checked below). */
const BROWSER_LEAVES = { "@/lib/javascript/js-app": "../javascript/js-app.ts" };

describe("the template catalog in the browser", () => {
  it.each(BROWSER_FILES)("%s imports only the catalog's own browser files", (file) => {
    const code = readFileSync(path.join(import.meta.dirname, file), "utf8");
    // The module's own imports: its opening lines (the sources it holds contain import lines of their own).
    const lines = code.split("\n");
    const header = lines.slice(0, lines.findIndex((line) => line.trim() !== "" && !/^(import|\/\/)/.test(line))).join("\n");
    const valueImports = [...header.matchAll(/^import\s+(?!type\b)[^;]*?from\s+"([^"]+)"/gm)].map((m) => m[1]!);
    expect(valueImports.filter((spec) => !BROWSER_FILES.includes(spec.replace(/^\.\//, "") + ".ts") && !(spec in BROWSER_LEAVES))).toEqual([]);
    expect(code).not.toMatch(/\b(process|Buffer|require)\s*[.(]/);
  });

  it.each(Object.values(BROWSER_LEAVES))("%s imports nothing", (file) => {
    expect(readFileSync(path.join(import.meta.dirname, file), "utf8")).not.toMatch(/^import\s/m);
  });
});
