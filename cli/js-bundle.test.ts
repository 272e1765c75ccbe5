// `wasmcompute publish` on a JavaScript app folder: the TypeScript source and what it imports are
// bundled into _worker.js, which is uploaded beside the engine module; a source error stops the
// publish with the file and line.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { JS_SOURCE_MAP_FILE, JS_WORKER_FILE } from "../lib/javascript/js-app";
import { EXIT } from "./exit-codes";
import { cliSandbox, EMPTY_WASM, runCli, sendJson, versionView } from "./test-support";

const sandbox = cliSandbox();

const MANIFEST = "name: hello\nmodule: app.wasm\nfiles:\n  - _worker.js\n";

async function jsFolder(index: string) {
  await writeFile(path.join(sandbox.dir, "wasmcompute.yaml"), MANIFEST);
  await writeFile(path.join(sandbox.dir, "app.wasm"), EMPTY_WASM);
  await mkdir(path.join(sandbox.dir, "src"));
  await writeFile(path.join(sandbox.dir, "src", "greet.ts"), "export const greet = (name: string): string => `Hello, ${name}!`;\n");
  await writeFile(path.join(sandbox.dir, "src", "index.ts"), index);
}

describe("publish of a JavaScript app", () => {
  it("bundles src/index.ts and its imports into _worker.js and uploads it with its source map", async () => {
    await jsFolder(`import { greet } from "./greet";\nexport default { fetch: (r: Request): Response => new Response(greet("ada")) };\n`);
    let received: FormData | undefined;
    const env = await sandbox.serve(async (req, res) => {
      received = await new Response(new Uint8Array(req.body), { headers: { "content-type": req.headers["content-type"]! } }).formData();
      sendJson(res, 201, { version: versionView("0.0.1") });
    });
    const r = await runCli(["publish", "0.0.1"], { env, cwd: sandbox.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Bundled src\/index\.ts into _worker\.js \(\d+ B\)/);
    const worker = await readFile(path.join(sandbox.dir, JS_WORKER_FILE), "utf8");
    expect(worker).toContain("Hello, ${name}!");
    expect(worker).not.toMatch(/^import /m);
    expect(worker).not.toContain(": string");
    const uploaded = received!.getAll("files") as File[];
    expect(uploaded.map((f) => f.name)).toEqual([JS_WORKER_FILE, JS_SOURCE_MAP_FILE]);
    expect(await uploaded[0]!.text()).toBe(worker);
    // The source map goes along (the engine names the TypeScript lines of an uncaught error with it).
    const map = JSON.parse(await uploaded[1]!.text()) as { sources: string[]; mappings: string };
    expect(map.sources).toEqual(["src/greet.ts", "src/index.ts"]);
    expect(map.mappings).not.toBe("");
    expect(worker).not.toContain("sourceMappingURL");
  });

  it("stops on a source error, naming the file and line, before uploading anything", async () => {
    await jsFolder(`import { greet } from "./greet";\nexport default { fetch( };\n`);
    const env = await sandbox.serve((_req, res) => sendJson(res, 500, {}));
    const r = await runCli(["publish", "0.0.1"], { env, cwd: sandbox.dir });
    expect(r.code).toBe(EXIT.VALIDATION);
    expect(r.stderr).toMatch(/Bundling src\/index\.ts into _worker\.js failed:\nsrc\/index\.ts:2:\d+: /);
    expect(sandbox.server.requests).toEqual([]);
  });
});
