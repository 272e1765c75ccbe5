// An uncaught exception in a TypeScript app, bundled as the IDE bundles it and run on the real
// engine with lib/wasm: its stack names _worker.js, and the bundle's source map brings each frame
// back to the TypeScript line that threw.
import { readFileSync } from "node:fs";
import * as esbuild from "esbuild";
import { describe, expect, it } from "vitest";
import { runWagi } from "@/lib/wasm";
import { MemFs } from "@/lib/wasm/mem-fs";
import { JS_ENGINE_PATH, JS_WORKER_FILE } from "@/lib/javascript/js-app";
import { compileJs } from "./compile-js";
import { stackMapper } from "./source-map";

const INDEX = `import { check } from "./check";

interface Env { LIMIT?: string }

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const n: number = Number(new URL(request.url).searchParams.get("n") ?? "0");
    return new Response(String(check(n)));
  },
};
`;
const CHECK = `// A helper in another file, so the map has two sources.
export function check(n: number): number {
  if (n > 3) {
    throw new Error(\`n is too big: \${n}\`);
  }
  return n * 2;
}
`;

describe("stack traces in the preview", () => {
  it("map _worker.js frames to the TypeScript lines", async () => {
    const built = await compileJs(esbuild, { "src/index.ts": INDEX, "src/check.ts": CHECK }, "src/index.ts");
    expect(built.diagnostics).toEqual([]);
    const module = new WebAssembly.Module(readFileSync(JS_ENGINE_PATH));
    const res = runWagi({
      module,
      request: { method: "GET", url: "http://demo--acme.localhost/?n=5", headers: [], body: new Uint8Array(), remoteAddr: "203.0.113.9", route: "/..." },
      env: {},
      files: MemFs.fromEntries({ [JS_WORKER_FILE]: built.script! }, { readOnly: true }),
    });
    expect(res.status).toBe(500);
    expect(res.stderr).toContain("n is too big: 5");
    expect(res.stderr).toMatch(/_worker\.js:\d+:\d+/);

    const mapped = stackMapper(built.sourceMap!).mapText(res.stderr);
    expect(mapped).not.toMatch(/_worker\.js:\d+/);
    // The throw is on line 4 of check.ts; its caller on line 8 of index.ts.
    expect(mapped).toMatch(/src\/check\.ts:4:\d+/);
    expect(mapped).toMatch(/src\/index\.ts:8:\d+/);
  });

  it("leaves a location the map does not cover as it is", () => {
    const mapper = stackMapper(JSON.stringify({ version: 3, sources: ["src/index.ts"], mappings: "AAAA" }));
    expect(mapper.mapText("at f (_worker.js:9:1)")).toBe("at f (_worker.js:9:1)");
    expect(mapper.mapText("at f (_worker.js:1:5)")).toBe("at f (src/index.ts:1:1)");
  });
});
