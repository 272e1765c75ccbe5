// The IDE's JavaScript build (esbuild-wasm over the draft, in memory) against the CLI's (Node's
// esbuild over a folder): the same bytes for the hello-ts template and for a draft with an import;
// a source error is a diagnostic at its file and line. The console serves esbuild's wasm and the engine.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import * as esbuildWasm from "esbuild-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleJsWorker } from "@/cli/js-bundle";
import { tempDir } from "@/cli/test-support";
import { GET } from "@/app/compiler/[file]/route";
import { JS_ENGINE_PATH, JS_WORKER_FILE } from "@/lib/javascript/js-app";
import { HELLO_TS_SOURCE, HELLO_TS_WORKER, JS_MANIFEST } from "@/lib/templates/js-template-sources";
import { JS_ENGINE_URL, compileJs, esbuildWasmUrl } from "./compile-js";

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => (tmp = await tempDir()));
afterAll(async () => {
  await tmp.remove();
  await esbuildWasm.stop();
});

async function cliBundle(files: Record<string, string>): Promise<Buffer> {
  const dir = await import("node:fs/promises").then((fs) => fs.mkdtemp(path.join(tmp.dir, "app-")));
  for (const [p, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, p)), { recursive: true });
    await writeFile(path.join(dir, p), text);
  }
  await bundleJsWorker(dir, "src/index.ts");
  return readFile(path.join(dir, JS_WORKER_FILE));
}

const text = (bytes: Uint8Array | null) => new TextDecoder().decode(bytes ?? new Uint8Array());

describe("compileJs (the IDE's bundle)", () => {
  it("gives the CLI's bytes for the hello-ts template", async () => {
    const files = { "wasmcompute.yaml": JS_MANIFEST, "src/index.ts": HELLO_TS_SOURCE };
    const ide = await compileJs(esbuildWasm, files, "src/index.ts");
    expect(ide.diagnostics).toEqual([]);
    const cli = await cliBundle(files);
    expect(Buffer.from(ide.script!).equals(cli)).toBe(true);
    expect(text(ide.script)).toBe(HELLO_TS_WORKER);
  });

  it("bundles relative imports (with and without extensions) as the CLI does", async () => {
    const files = {
      "src/index.ts": `import { greet } from "./lib/greet";\nimport data from "../data.json";\nexport default { fetch: (r: Request): Response => new Response(greet(data.name)) };\n`,
      "src/lib/greet.ts": "export const greet = (name: string): string => `Hello, ${name}!`;\n",
      "data.json": '{ "name": "ada" }\n',
    };
    const ide = await compileJs(esbuildWasm, files, "src/index.ts");
    expect(ide.diagnostics).toEqual([]);
    expect(Buffer.from(ide.script!).equals(await cliBundle(files))).toBe(true);
    expect(text(ide.script)).toContain("// src/lib/greet.ts");
  });

  it("reports a syntax error and an unresolvable import at their file, line and column", async () => {
    const broken = await compileJs(esbuildWasm, { "src/index.ts": "export default {\n  fetch() { return new Response(\"x\" }\n};\n" }, "src/index.ts");
    expect(broken.script).toBeNull();
    expect(broken.diagnostics[0]).toMatchObject({ file: "src/index.ts", line: 2, severity: "error" });

    const missing = await compileJs(esbuildWasm, { "src/index.ts": 'import x from "./nope";\nimport y from "lodash";\nexport default { fetch: () => new Response(x + y) };\n' }, "src/index.ts");
    expect(missing.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}`)).toEqual(["src/index.ts:1:15", "src/index.ts:2:15"]);
    expect(missing.diagnostics[0]!.message).toContain("no file src/nope");
    expect(missing.diagnostics[1]!.message).toContain('Could not resolve "lodash"');
  });
});

describe("the console's /compiler/ files for JavaScript apps", () => {
  const get = (file: string) => GET(new Request(`http://console.test/compiler/${file}`), { params: Promise.resolve({ file }) });

  it("serves esbuild-wasm's wasm under its version and the engine, both from this checkout", async () => {
    const esbuildRes = await get(esbuildWasmUrl(esbuildWasm.version).split("/").pop()!);
    expect(esbuildRes.status).toBe(200);
    expect(esbuildRes.headers.get("content-type")).toBe("application/wasm");
    expect(esbuildRes.headers.get("cache-control")).toContain("immutable");
    expect(Buffer.from(await esbuildRes.arrayBuffer()).equals(await readFile("node_modules/esbuild-wasm/esbuild.wasm"))).toBe(true);

    const engineRes = await get(JS_ENGINE_URL.split("/").pop()!);
    expect(engineRes.status).toBe(200);
    expect(engineRes.headers.get("cache-control")).toBe("no-cache");
    expect(Buffer.from(await engineRes.arrayBuffer()).equals(await readFile(JS_ENGINE_PATH))).toBe(true);

    expect((await get("esbuild-0.0.1.wasm")).status).toBe(404);
  });
});
