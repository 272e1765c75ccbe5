// Guard: no function on the gateway's request path is longer than ~60 lines (issue 14), so
// each step stays small enough to read and to test alone. The files are listed by hand: a new
// file on the request path is added here; a moved one is renamed here (a missing file fails).
// Left out: lib/wasm/wasi-host.ts and wasmcompute-imports.ts, whose long functions are import
// tables, one small closure per host call.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const MAX_LINES = 60;
const ROOT = path.resolve(import.meta.dirname, "../..");
const REQUEST_PATH = [
  "lib/runtime/gateway.ts",
  "lib/runtime/gateway/body.ts",
  "lib/runtime/gateway/context.ts",
  "lib/runtime/gateway/errors.ts",
  "lib/runtime/gateway/handle-request.ts",
  "lib/runtime/gateway/limits.ts",
  "lib/runtime/gateway/record.ts",
  "lib/runtime/gateway/respond.ts",
  "lib/runtime/gateway/route.ts",
  "lib/runtime/gateway/run.ts",
  "lib/runtime/gateway/static.ts",
  "lib/runtime/app-routing.ts",
  "lib/runtime/database-unavailable.ts",
  "lib/runtime/fair-share.ts",
  "lib/runtime/kv-bridge.ts",
  "lib/runtime/lru.ts",
  "lib/runtime/module-cache.ts",
  "lib/runtime/read-body.ts",
  "lib/runtime/recycled-memory.ts",
  "lib/runtime/spending-cap.ts",
  "lib/runtime/static-files.ts",
  "lib/runtime/wagi-worker.ts",
  "lib/runtime/worker-pool.ts",
  "lib/runtime/worker-protocol.ts",
  "lib/deployment-record/record.ts",
  "lib/deployment-record/static-rules.ts",
  "lib/wasm/cgi-response.ts",
  "lib/wasm/route-pattern.ts",
  "lib/wasm/run-wagi.ts",
  "lib/wasm/run-wasi.ts",
  "lib/wasm/wagi-environment.ts",
  "lib/wasm/wagi-request.ts",
];

/** Every function, arrow function, method, accessor and constructor with a body longer than `max` lines. */
export function longFunctions(file: string, source: string, max: number): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const first = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const last = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = node.name && ts.isIdentifier(node.name) ? node.name.text : `<${ts.SyntaxKind[node.kind]}>`;
      if (last - first + 1 > max) found.push(`${file}:${first + 1} ${name} (${last - first + 1} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe("request path", () => {
  it(`has no function longer than ${MAX_LINES} lines`, () => {
    const missing = REQUEST_PATH.filter((file) => !existsSync(path.join(ROOT, file)));
    expect(missing, "listed files that do not exist (moved? update the list)").toEqual([]);
    const long = REQUEST_PATH.flatMap((file) => longFunctions(file, readFileSync(path.join(ROOT, file), "utf8"), MAX_LINES));
    expect(long).toEqual([]);
  });

  it("sees a long function, in any of its forms", () => {
    const body = Array.from({ length: 61 }, (_, i) => `  x += ${i};`).join("\n");
    const source = `function a() {\n${body}\n}\nconst b = () => {\n${body}\n};\nclass C { m() {\n${body}\n} }\nfunction short() { return 1; }\n`;
    expect(longFunctions("t.ts", source, 60).map((f) => f.split(" ")[1])).toEqual(["a", "<ArrowFunction>", "m"]);
  });
});
