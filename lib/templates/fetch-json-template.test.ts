// The "Fetch JSON from an API" template, compiled as the IDE compiles it, run by a real gateway over
// real HTTP against an API on 127.0.0.1 (which this test's operator settings allow): it answers
// what the API said, and says why when its host is refused.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import asc from "assemblyscript/asc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileAssemblyScript, type AscLike } from "@/lib/editor/compile-as";
import { parseManifest } from "@/lib/manifest/parse-manifest";
import { createFolderRegistry } from "../runtime/folder-registry";
import { createGateway, type Gateway } from "../runtime/gateway";
import { WorkerPool } from "../runtime/worker-pool";
import { appUrl, fetchApp } from "../testing/app-fetch";
import { findEditorTemplate } from "./templates";

let upstream: http.Server;
let up: string;
let dir: string;
let gateway: Gateway;
let base: string;
let wasm: Uint8Array;

function writeApp(app: string, manifest: object) {
  mkdirSync(path.join(dir, "demo", app), { recursive: true });
  writeFileSync(path.join(dir, "demo", app, "module.wasm"), wasm);
  writeFileSync(path.join(dir, "demo", app, "manifest.json"), JSON.stringify(manifest));
}

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    if (req.url === "/todos/1") res.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end('{"id":1,"title":"from the local API","accept":' + JSON.stringify(req.headers.accept) + "}");
    else res.writeHead(200, { "content-type": "text/plain" }).end('plain "text"');
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  up = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const template = findEditorTemplate("fetch-json-as")!;
  const built = await compileAssemblyScript(asc as unknown as AscLike, template.editorFiles, "main.ts");
  expect(built.diagnostics).toEqual([]);
  wasm = built.wasm!;
  dir = mkdtempSync(path.join(os.tmpdir(), "fetch-json-template-"));
  writeApp("api", { allowed_hosts: [up], env: { API_URL: `${up}/todos/1` } });
  writeApp("text", { allowed_hosts: [up], env: { API_URL: `${up}/other` } });
  writeApp("unlisted", { env: { API_URL: `${up}/todos/1` } });
  writeApp("metadata", { allowed_hosts: ["http://169.254.169.254"], env: { API_URL: "http://169.254.169.254/latest/meta-data/" } });
  gateway = await createGateway({
    resolve: createFolderRegistry({ dir }).resolve,
    pool: await WorkerPool.create({ size: 1 }),
    outbound: { operatorAllow: ["127.0.0.1"] },
  });
  await new Promise<void>((resolve) => gateway.server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  await gateway?.pool.close();
  upstream?.closeAllConnections();
  await new Promise((resolve) => upstream?.close(resolve));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function get(app: string) {
  const res = await fetchApp(appUrl(base, "demo", app, "/"));
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe("the fetch-json-as template", () => {
  it("lists the origin of its API_URL in allowed_hosts (the two change together)", () => {
    const manifest = parseManifest(findEditorTemplate("fetch-json-as")!.editorFiles["wasmcompute.yaml"]!);
    expect(manifest.allowed_hosts).toEqual([new URL(manifest.env.API_URL!).origin]);
  });

  it("answers the API's JSON as it came, with its status", async () => {
    expect(await get("api")).toEqual({ status: 200, json: { url: `${up}/todos/1`, status: 200, body: { id: 1, title: "from the local API", accept: "application/json" } } });
  });

  it("passes a non-JSON answer on as a string", async () => {
    expect((await get("text")).json).toMatchObject({ status: 200, body: 'plain "text"' });
  });

  it("says why a call is refused: a host not listed, a metadata address", async () => {
    expect(await get("unlisted")).toEqual({
      status: 502,
      json: { error: `${up} is not in this app's allowed_hosts: add "${up}" to allowed_hosts in wasmcompute.yaml`, code: -1 },
    });
    expect(await get("metadata")).toEqual({
      status: 502,
      json: { error: "169.254.169.254 resolves to 169.254.169.254, a cloud-metadata address, which apps may not call (the operator can allow it with GATEWAY_OUTBOUND_ALLOW)", code: -2 },
    });
  });
});
