import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DeploymentError } from "../deployment-record/record";
import { createFolderRegistry } from "./folder-registry";
import { readMemories } from "../wasm/memory-cap";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/wasm");
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "registry-test-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function deploy(app: string, fixture: string, manifest?: unknown) {
  const appDir = path.join(dir, "acme", app);
  mkdirSync(appDir, { recursive: true });
  copyFileSync(path.join(FIXTURES, `${fixture}.wasm`), path.join(appDir, "module.wasm"));
  if (manifest !== undefined) writeFileSync(path.join(appDir, "manifest.json"), JSON.stringify(manifest));
}

describe("createFolderRegistry", () => {
  it("publishes a module: memory capped to the app's limit, content-hashed, default route", async () => {
    deploy("web", "hello-c", { limits: { memoryMb: 2 }, env: { A: "1" } });
    const deployment = (await createFolderRegistry({ dir }).resolve("acme", "web"))!;
    expect(deployment.routes).toEqual([{ prefix: "/...", entrypoint: "_start" }]);
    expect(deployment.env).toEqual({ A: "1" });
    expect(deployment.moduleHash).toMatch(/^[0-9a-f]{64}$/);
    expect(readMemories(await deployment.getModuleBytes())[0]!.maxPages).toBe(32);
  });

  it("answers null for unknown apps and names that cannot be apps", async () => {
    const registry = createFolderRegistry({ dir });
    expect(await registry.resolve("acme", "nope")).toBeNull();
    expect(await registry.resolve("..", "etc")).toBeNull();
  });

  it("sees a new version once the TTL has passed", async () => {
    deploy("web", "hello-c");
    const registry = createFolderRegistry({ dir, ttlMs: 0 });
    const first = (await registry.resolve("acme", "web"))!;
    expect((await registry.resolve("acme", "web"))!.moduleHash).toBe(first.moduleHash);
    deploy("web", "hello-wat");
    expect((await registry.resolve("acme", "web"))!.moduleHash).not.toBe(first.moduleHash);
  });

  it("refuses a deployment with problems, saying what to fix", async () => {
    deploy("bad", "unsupported-import");
    deploy("manifest", "hello-c", { routes: [{ prefix: "no-slash" }] });
    deploy("entry", "entrypoint");
    deploy("big", "huge-response", { limits: { memoryMb: 1 } });
    const registry = createFolderRegistry({ dir });
    await expect(registry.resolve("acme", "bad")).rejects.toThrow(/env\.open_socket/);
    await expect(registry.resolve("acme", "manifest")).rejects.toThrow(DeploymentError);
    await expect(registry.resolve("acme", "entry")).rejects.toThrow(/"_start".*manifest\.json routes/);
    await expect(registry.resolve("acme", "big")).rejects.toThrow(/17 pages/);
  });
});
