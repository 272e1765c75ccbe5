// Publishing a WASI 0.2 component (issue #17) through the service the API calls, on both databases:
// the version says it is a component, the blob the gateway fetches by moduleSha256 is the packed
// artifact (memory-capped), the download gives back the upload byte for byte, and components that
// cannot run here are refused with a 422 that names what is wrong. The gateway never asks a
// component for WAGI `_routes`.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpActor } from "@/lib/testing/actors";
import type { Actor } from "@/lib/auth/actor";
import { createApp } from "@/lib/apps/create-app";
import { blobStore, readBlobOrThrow, referencedHashes, sha256Hex } from "@/lib/blobs/blob-store";
import { deployVersion } from "@/lib/deployments/deploy-version";
import { createLiveDeployments } from "@/lib/deployments/live-deployments";
import { AppError } from "@/lib/errors";
import { createExportedRouteDiscovery } from "@/lib/runtime/discover-routes";
import type { ModuleCache } from "@/lib/runtime/module-cache";
import type { WorkerPool } from "@/lib/runtime/worker-pool";
import { componentImporting, garbageWithComponentLayer, helloComponent } from "@/lib/testing/component-fixtures";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "@/lib/testing/test-database";
import { isComponentArtifact, unpackComponentArtifact } from "@/lib/wasm/component/artifact";
import { readMemories, WASM_PAGE_BYTES } from "@/lib/wasm/memory-cap";
import { findVersions, getVersion, readVersionModule } from "./find-versions";
import { publishVersion } from "./publish-version";

const ROOT = path.resolve(import.meta.dirname, "../..");

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const e = await promise.then(
    () => new Error("published, expected a refusal"),
    (error: unknown) => error,
  );
  if (!(e instanceof AppError)) throw e;
  return e;
}

describe.each(["embedded", "postgres"] as DatabaseKind[])("publishing components on %s", (kind) => {
  let database: TestDatabase;
  let actor: Actor;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    actor = await signUpActor("components");
    await createApp({ actor, input: { name: "hello" } });
  }, 120_000);

  afterAll(async () => {
    await database?.close();
  });

  it("stores the transpiled artifact as what runs, keeps the upload for the download, and says it is a component", async () => {
    const upload = helloComponent();
    const view = await publishVersion({ actor, appName: "hello", input: { version: "1.0.0", module: upload, manifestText: "limits:\n  memoryMb: 32\n", files: [] } });

    expect(view.kind).toBe("component");
    expect(view.component).toEqual({
      sourceSha256: sha256Hex(upload),
      sourceSize: upload.byteLength,
      imports: ["wasi:io/error@0.2.0", "wasi:io/streams@0.2.0", "wasi:http/types@0.2.0"],
      exports: ["wasi:http/incoming-handler@0.2.0"],
    });
    expect(view.moduleSha256).not.toBe(view.component!.sourceSha256);

    // What the gateway reads by moduleSha256: the packed artifact, each core memory capped at the app's 32 MiB.
    const runs = await readBlobOrThrow(blobStore(), view.moduleSha256);
    expect(sha256Hex(runs)).toBe(view.moduleSha256);
    expect(runs.byteLength).toBe(view.moduleSize);
    expect(isComponentArtifact(runs)).toBe(true);
    const artifact = unpackComponentArtifact(runs);
    expect(artifact.glue).toContain("export function instantiate");
    const memories = artifact.cores.flatMap((c) => readMemories(c.bytes).filter((m) => m.source === "defined"));
    expect(memories.length).toBeGreaterThan(0);
    for (const m of memories) expect(m.maxPages).toBe((32 * 1024 * 1024) / WASM_PAGE_BYTES);
    for (const core of artifact.cores) expect(WebAssembly.validate(new Uint8Array(core.bytes))).toBe(true);

    // The download is the upload, byte for byte; the list and the single view agree on the kind.
    expect(Buffer.from(await readVersionModule({ actor, appName: "hello", version: "1.0.0" })).equals(Buffer.from(upload))).toBe(true);
    expect((await getVersion({ actor, appName: "hello", version: "1.0.0" })).component).toEqual(view.component);
    expect((await findVersions({ actor, appName: "hello" })).map((v) => [v.version, v.kind])).toEqual([["1.0.0", "component"]]);

    // Both blobs are referenced: the orphan sweep keeps the upload as well as the artifact.
    const kept = await referencedHashes(database.db, [view.moduleSha256, view.component!.sourceSha256, "f".repeat(64)]);
    expect([...kept].sort()).toEqual([view.moduleSha256, view.component!.sourceSha256].sort());
  });

  it("refuses a component that imports an interface we do not provide, naming it (422, field module)", async () => {
    const component = await componentImporting(["wasi:sockets/tcp@0.2.0", "wasi:io/streams@0.2.0"]);
    const e = await refusal(publishVersion({ actor, appName: "hello", input: { version: "2.0.0", module: component, files: [] } }));
    expect(e.status).toBe(422);
    expect(e.details?.field).toBe("module");
    expect(e.message).toMatch(/^The component imports wasi:sockets\/tcp@0\.2\.0, which WasmCompute does not provide\. Components may import \(any 0\.2\.x version\): wasi:http\/types,/);
    expect(e.message).not.toContain("wasi:io/streams@0.2.0,");
    await expect(getVersion({ actor, appName: "hello", version: "2.0.0" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses bytes with the component preamble that are no component, and a route naming an entrypoint", async () => {
    const garbage = await refusal(publishVersion({ actor, appName: "hello", input: { version: "2.0.1", module: garbageWithComponentLayer(), files: [] } }));
    expect(garbage.status).toBe(422);
    expect(garbage.message).toMatch(/^The file is not a valid WebAssembly component: /);

    const manifestText = "routes:\n  - path: /api/...\n    entrypoint: api\n";
    const route = await refusal(publishVersion({ actor, appName: "hello", input: { version: "2.0.2", module: helloComponent(), manifestText, files: [] } }));
    expect(route.status).toBe(422);
    expect(route.details?.field).toBe("manifest");
    expect(route.message).toContain('routes[0] names entrypoint "api", but a component has one handler');
  });

  it("still publishes core modules as modules", async () => {
    const module = new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm/hello-wat.wasm")));
    const view = await publishVersion({ actor, appName: "hello", input: { version: "3.0.0", module, files: [] } });
    expect(view).toMatchObject({ kind: "module", component: null });
  });
});

describe("route discovery and components", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase("embedded");
  }, 120_000);

  afterAll(async () => {
    await database?.close();
  });

  it("serves every path of a component's route with its one handler and never sends it a routes job", async () => {
    const actor: Actor = await signUpActor("routes");
    await createApp({ actor, input: { name: "comp" } });
    const view = await publishVersion({ actor, appName: "comp", input: { version: "1.0.0", module: helloComponent(), files: [] } });
    await deployVersion({ actor, appName: "comp", input: { version: "1.0.0", route: "" } });

    // A pool that fails the test if a job reaches it: discovery must not run a component.
    const jobs: unknown[] = [];
    const pool = { run: async (job: unknown) => (jobs.push(job), { kind: "crashed", message: "no jobs expected" }) } as unknown as WorkerPool;
    const discover = createExportedRouteDiscovery(pool, {} as ModuleCache);
    const artifact = await readBlobOrThrow(blobStore(), view.moduleSha256);
    expect(await discover({ moduleHash: view.moduleSha256, getBytes: async () => artifact })).toEqual([]);

    let asked = 0;
    const live = createLiveDeployments({ db: database.db, pollMs: 60_000, discoverRoutes: (input) => (asked++, discover(input)) });
    try {
      const deployment = await live.resolve("routes", "comp", "/any/path/at/all");
      expect(deployment?.moduleHash).toBe(view.moduleSha256);
      expect(deployment?.routes).toEqual([{ prefix: "/...", entrypoint: "_start" }]);
      expect(Buffer.from(await deployment!.getModuleBytes()).equals(Buffer.from(artifact))).toBe(true);
    } finally {
      live.close();
    }
    expect(asked).toBe(0);
    expect(jobs).toEqual([]);
  });
});
