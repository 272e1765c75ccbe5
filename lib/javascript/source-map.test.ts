// An uncaught exception in a TypeScript app, bundled as the IDE and the CLI bundle it and run on the
// real engine with lib/wasm: its stack names _worker.js, and with the bundle's source map mounted
// beside it (as the preview mounts it and a version publishes it) each frame names the TypeScript line.
import { readFileSync } from "node:fs";
import * as esbuild from "esbuild";
import { describe, expect, it } from "vitest";
import { runWagi } from "@/lib/wasm";
import { MemFs } from "@/lib/wasm/mem-fs";
import { JS_ENGINE_PATH, JS_SOURCE_MAP_FILE, JS_WORKER_FILE } from "@/lib/javascript/js-app";
import { compileJs } from "@/lib/editor/compile-js";

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

describe("stack traces of a bundled TypeScript app", () => {
  it("name the TypeScript lines when the bundle's source map is mounted beside it (the engine maps them)", async () => {
    const built = await compileJs(esbuild, { "src/index.ts": INDEX, "src/check.ts": CHECK }, "src/index.ts");
    expect(built.diagnostics).toEqual([]);
    const module = new WebAssembly.Module(readFileSync(JS_ENGINE_PATH));
    const run = (files: Record<string, Uint8Array>) =>
      runWagi({
        module,
        request: { method: "GET", url: "http://demo--acme.localhost/?n=5", headers: [], body: new Uint8Array(), remoteAddr: "203.0.113.9", route: "/..." },
        env: {},
        files: MemFs.fromEntries(files, { readOnly: true }),
      });

    const bare = run({ [JS_WORKER_FILE]: built.script! });
    expect(bare.status).toBe(500);
    expect(bare.stderr).toContain("n is too big: 5");
    expect(bare.stderr).toMatch(/at check \(_worker\.js:\d+:\d+\)/);

    const mapped = run({ [JS_WORKER_FILE]: built.script!, [JS_SOURCE_MAP_FILE]: new TextEncoder().encode(built.sourceMap!) });
    expect(mapped.status).toBe(500);
    // The throw is on line 4 of check.ts; its caller on line 8 of index.ts.
    expect(mapped.stderr).toMatch(/at check \(src\/check\.ts:4:\d+ \(_worker\.js:\d+:\d+\)\)/);
    expect(mapped.stderr).toMatch(/at fetch \(src\/index\.ts:8:\d+ \(_worker\.js:\d+:\d+\)\)/);
  });
});
