// `wasmcompute publish` on a JavaScript app folder: the TypeScript source and what it imports are
// bundled into _worker.js, which is uploaded beside the engine module; a source error stops the
// publish with the file and line.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JS_WORKER_FILE } from "../lib/javascript/js-app";
import { EXIT } from "./exit-codes";
import { EMPTY_WASM, runCli, sendJson, startFakeServer, tempDir, type FakeServer } from "./test-support";

let tmp: Awaited<ReturnType<typeof tempDir>>;
let server: FakeServer | undefined;
beforeEach(async () => (tmp = await tempDir()));
afterEach(async () => {
  await server?.close();
  server = undefined;
  await tmp.remove();
});

const MANIFEST = "name: hello\nmodule: app.wasm\nfiles:\n  - _worker.js\n";

async function jsFolder(index: string) {
  await writeFile(path.join(tmp.dir, "wasmcompute.yaml"), MANIFEST);
  await writeFile(path.join(tmp.dir, "app.wasm"), EMPTY_WASM);
  await mkdir(path.join(tmp.dir, "src"));
  await writeFile(path.join(tmp.dir, "src", "greet.ts"), "export const greet = (name: string): string => `Hello, ${name}!`;\n");
  await writeFile(path.join(tmp.dir, "src", "index.ts"), index);
}

describe("publish of a JavaScript app", () => {
  it("bundles src/index.ts and its imports into _worker.js and uploads it", async () => {
    await jsFolder(`import { greet } from "./greet";\nexport default { fetch: (r: Request): Response => new Response(greet("ada")) };\n`);
    let received: FormData | undefined;
    server = await startFakeServer(async (req, res) => {
      received = await new Response(new Uint8Array(req.body), { headers: { "content-type": req.headers["content-type"]! } }).formData();
      sendJson(res, 201, {
        version: { version: "0.0.1", createdAt: "2025-11-26T01:40:00.000Z", moduleSha256: "a".repeat(64), moduleSize: 8, manifestSha256: "b".repeat(64), filesSha256: "c".repeat(64), manifest: {}, tainted: false, live: [] },
      });
    });
    const env = { WASMCOMPUTE_URL: server.url, WASMCOMPUTE_TOKEN: "wc_test", WASMCOMPUTE_CONFIG: path.join(tmp.dir, "config.json") };
    const r = await runCli(["publish", "0.0.1"], { env, cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Bundled src\/index\.ts into _worker\.js \(\d+ B\)/);
    const worker = await readFile(path.join(tmp.dir, JS_WORKER_FILE), "utf8");
    expect(worker).toContain("Hello, ${name}!");
    expect(worker).not.toMatch(/^import /m);
    expect(worker).not.toContain(": string");
    const uploaded = received!.getAll("files") as File[];
    expect(uploaded.map((f) => f.name)).toEqual([JS_WORKER_FILE]);
    expect(await uploaded[0]!.text()).toBe(worker);
  });

  it("stops on a source error, naming the file and line, before uploading anything", async () => {
    await jsFolder(`import { greet } from "./greet";\nexport default { fetch( };\n`);
    server = await startFakeServer((_req, res) => sendJson(res, 500, {}));
    const env = { WASMCOMPUTE_URL: server.url, WASMCOMPUTE_TOKEN: "wc_test", WASMCOMPUTE_CONFIG: path.join(tmp.dir, "config.json") };
    const r = await runCli(["publish", "0.0.1"], { env, cwd: tmp.dir });
    expect(r.code).toBe(EXIT.VALIDATION);
    expect(r.stderr).toMatch(/Bundling src\/index\.ts into _worker\.js failed:\nsrc\/index\.ts:2:\d+: /);
    expect(server.requests).toEqual([]);
  });
});
