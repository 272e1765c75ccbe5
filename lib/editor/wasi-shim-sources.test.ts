import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { renderShimSources } from "./generate-wasi-shim-sources";
import { positionAt, sortDiagnostics } from "./diagnostics";
import { parseWabtErrors } from "./compile-wat";
import { watStrings } from "@/lib/templates/wat-strings";

it("the committed WASI shim sources match node_modules (rerun generate-wasi-shim-sources.ts)", () => {
  expect(readFileSync(path.join(import.meta.dirname, "wasi-shim-sources.ts"), "utf8")).toBe(renderShimSources());
});

it("positionAt counts 1-based lines and UTF-16 columns", () => {
  expect(positionAt("ab\ncd", 0)).toEqual({ line: 1, column: 1 });
  expect(positionAt("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
  expect(positionAt("ab", 99)).toEqual({ line: 1, column: 3 });
});

it("sorts errors before warnings, then by position", () => {
  const d = (severity: "error" | "warning", line: number) => ({ file: "a", line, column: 1, endLine: line, endColumn: 2, message: "", severity });
  expect(sortDiagnostics([d("warning", 1), d("error", 9), d("error", 2)]).map((x) => `${x.severity}${x.line}`)).toEqual(["error2", "error9", "warning1"]);
});

it("parses wabt's located errors with the ^^^ width", () => {
  const message = "main.wat:3:14: error: unexpected token \"oops\"\n    (i32.add (oops))\n             ^^^^\n";
  expect(parseWabtErrors(message, "main.wat")).toEqual([{ file: "main.wat", line: 3, column: 14, endLine: 3, endColumn: 18, message: 'unexpected token "oops"', severity: "error", code: "wat" }]);
});

it("lays out WAT strings with their UTF-8 byte lengths", () => {
  const s = watStrings(16, { a: 'say "hé"\n', b: "x" });
  expect(s.ref("a")).toBe("(i32.const 16) (i32.const 10)");
  expect(s.ref("b")).toBe("(i32.const 32) (i32.const 1)");
  expect(s.data).toContain('"say \\"h\\c3\\a9\\"\\n"');
});
