// The JavaScript templates as `wasmcompute new` and Create app hand them out (templateFiles): the
// manifests publish the engine with _worker.js, and both apps answer through the real engine on
// lib/wasm (that the hello-ts worker is the CLI's bundle of its source: lib/editor/compile-js.test.ts).
import { describe, expect, it } from "vitest";
import { memoryKv } from "@/lib/editor/preview-kv-host";
import { parseManifest } from "@/lib/manifest/parse-manifest";
import { runWagi } from "@/lib/wasm";
import { MemFs } from "@/lib/wasm/mem-fs";
import { JS_WORKER_FILE } from "@/lib/javascript/js-app";
import { templateFiles } from "./template-files";

function appOf(id: string) {
  const files = Object.fromEntries(templateFiles(id, "demo").map((f) => [f.path, f.data]));
  const manifest = parseManifest(new TextDecoder().decode(files["wasmcompute.yaml"]));
  const module = new WebAssembly.Module(new Uint8Array(files[manifest.module!]!));
  const published = MemFs.fromEntries(Object.fromEntries(manifest.files.map((f) => [f, files[f]!])), { readOnly: true });
  return { files, manifest, module, published };
}

function send(app: ReturnType<typeof appOf>, method: string, path: string, options: { body?: string; env?: Record<string, string>; kv?: ReturnType<typeof memoryKv> } = {}) {
  const logs: string[] = [];
  const res = runWagi({
    module: app.module,
    request: { method, url: `http://demo--acme.localhost${path}`, headers: options.body ? [["content-type", "application/json"]] : [], body: new TextEncoder().encode(options.body ?? ""), remoteAddr: "203.0.113.9", route: "/..." },
    env: { ...app.manifest.env, ...options.env },
    files: app.published,
    host: { log: (_level, message) => logs.push(message), kv: options.kv?.host },
  });
  return { status: res.status, text: new TextDecoder().decode(res.body), logs, stderr: res.stderr };
}

describe("JavaScript templates", () => {
  it("publish the engine as the module and _worker.js as a file", () => {
    for (const id of ["hello-ts", "json-api-js"]) {
      const { manifest } = appOf(id);
      expect(manifest.name).toBe("demo");
      expect(manifest.files).toEqual([JS_WORKER_FILE]);
      expect(new TextDecoder().decode(appOf(id).files["README.md"])).toMatch(/app\.wasm` is the JavaScript engine/);
    }
  });

  it("hello-ts greets by name, with the app's GREETING", () => {
    const app = appOf("hello-ts");
    expect(send(app, "GET", "/?name=Ada")).toMatchObject({ status: 200, text: "Hello, Ada!\n", logs: ["greeting Ada"] });
    expect(send(app, "GET", "/", { env: { GREETING: "Bonjour" } }).text).toBe("Bonjour, world!\n");
  });

  it("json-api-js creates, lists and finds items in the KV store, with JSON errors", () => {
    const app = appOf("json-api-js");
    const kv = memoryKv({});
    const created = send(app, "POST", "/items", { body: '{"name":"tea"}', kv });
    expect(created.status).toBe(201);
    expect(JSON.parse(created.text)).toMatchObject({ id: 1, name: "tea" });
    send(app, "POST", "/items", { body: '{"name":"cake"}', kv });
    expect(JSON.parse(send(app, "GET", "/items", { kv }).text).map((i: { name: string }) => i.name)).toEqual(["tea", "cake"]);
    expect(JSON.parse(send(app, "GET", "/items/2", { kv }).text)).toMatchObject({ id: 2, name: "cake" });
    expect(send(app, "GET", "/items/9", { kv })).toMatchObject({ status: 404, text: '{"error":"no item 9"}' });
    expect(send(app, "POST", "/items", { body: "{}", kv }).status).toBe(422);
    expect(send(app, "POST", "/items", { body: "not json", kv }).status).toBe(400);
  });
});
