// A published module that declares its own routes (WAGI `_routes`) gets them on the database
// gateway too, as in the folder registry and the editor's preview, mounted below every route its
// manifest lists, as WAGI does: deislabs/wagi's `dynamic_routes_set_path_env_vars_correctly_module_map`
// cases (testdata/module-maps/test_dynamic_routes.toml) run here against the same module, in C.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpActor } from "@/lib/testing/actors";
import { listenOnLoopback } from "@/lib/testing/listen";
import type { Actor } from "@/lib/auth/actor";
import { createApp } from "@/lib/apps/create-app";
import { deployVersion } from "@/lib/deployments/deploy-version";
import { createGateway, type Gateway } from "@/lib/runtime/gateway";
import { createExportedRouteDiscovery } from "@/lib/runtime/discover-routes";
import { ModuleCache } from "@/lib/runtime/module-cache";
import { WorkerPool } from "@/lib/runtime/worker-pool";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { publishVersion } from "@/lib/versions/publish-version";
import { createLiveDeployments, type LiveDeployments } from "./live-deployments";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";
import { createBlobStore, type BlobStore } from "@/lib/blobs/blob-store";

const ROOT = path.resolve(import.meta.dirname, "../..");
const fixture = async (name: string) => new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm", `${name}.wasm`)));

let database: TestDatabase;
let pool: WorkerPool;
let live: LiveDeployments;
let gateway: Gateway;
let base: string;
let actor: Actor;
let discoveries = 0;

/** deislabs/wagi testdata/module-maps/test_dynamic_routes.toml: one module mounted at four routes. */
const WAGI_MODULE_MAP = "routes:\n" + ["/", "/exactparent", "/exactparentslash/", "/wildcardparent/..."].map((r) => `  - path: ${r}\n`).join("");

beforeAll(async () => {
  database = await createTestDatabase("embedded");
  pool = await WorkerPool.create({ size: 1 });
  const moduleCache = new ModuleCache();
  const discover = createExportedRouteDiscovery(pool, moduleCache);
  live = createLiveDeployments({
    db: database.db,
    pollMs: 60_000,
    discoverRoutes: (input) => {
      discoveries++;
      return discover(input);
    },
  });
  gateway = await createGateway({ resolve: live.resolve, pool, moduleCache });
  base = await listenOnLoopback(gateway.server);
  actor = await signUpActor("routes");
  for (const [app, manifestText] of [
    ["own", undefined],
    ["declared", "routes:\n  - path: /...\n    entrypoint: _start\n  - path: /hello\n    entrypoint: goodbye\n"],
    ["wagi", WAGI_MODULE_MAP],
  ] as const) {
    await createApp({ actor, input: { name: app } });
    const module = await fixture(app === "wagi" ? "dynamic-routes" : "routes");
    await publishVersion({ actor, appName: app, input: { version: "1.0.0", module, manifestText, files: [] } });
    await deployVersion({ actor, appName: app, input: { version: "1.0.0" } });
  }
  await live.refresh();
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  live?.close();
  await pool?.close();
  await database?.close();
});

const text = async (url: string) => {
  const res = await fetchApp(url);
  return `${res.status} ${(await res.text()).trim()}`;
};

describe("WAGI _routes on the database gateway", () => {
  it("dispatches to the entrypoints the module declares, beside the default route", async () => {
    expect(await text(appUrl(base, "routes", "own"))).toBe("200 main");
    expect(await text(appUrl(base, "routes", "own", "/hello"))).toBe("200 hello");
    expect(await text(appUrl(base, "routes", "own", "/goodbye/and/more"))).toBe("200 goodbye");
  });

  it("asks each version once, even after the routing epoch moves", async () => {
    const before = discoveries;
    await database.db.$executeRaw`UPDATE "RoutingEpoch" SET value = value + 1`;
    await live.refresh();
    expect(await text(appUrl(base, "routes", "own", "/hello"))).toBe("200 hello");
    expect(discoveries).toBe(before);
  });

  it("mounts the module's routes below the routes the manifest declares (the later match wins)", async () => {
    expect(await text(appUrl(base, "routes", "declared", "/hello"))).toBe("200 goodbye");
    expect(await text(appUrl(base, "routes", "declared", "/goodbye/x"))).toBe("200 goodbye");
    expect(await text(appUrl(base, "routes", "declared", "/hello/hello"))).toBe("200 hello");
    expect(await text(appUrl(base, "routes", "declared", "/hello/goodbye/x"))).toBe("200 goodbye");
    expect(await text(appUrl(base, "routes", "declared", "/other"))).toBe("200 main");
  });
});

const MAIN = "This is the main entry point";
const EXACT = "This is the .../exact handler";
const WILDCARD = "This is the .../wildcard/... handler";

describe("WAGI _routes under every mounted route (deislabs/wagi module-map cases)", () => {
  it.each([
    // request path → handler, PATH_INFO (= PATH_TRANSLATED = X_RAW_PATH_INFO here), X_MATCHED_ROUTE, SCRIPT_NAME
    ["/", MAIN, "", "/", "/"],
    ["/exact", EXACT, "", "/exact", "/exact"],
    ["/exactparent", MAIN, "", "/exactparent", "/exactparent"],
    ["/exactparent/exact", EXACT, "", "/exactparent/exact", "/exactparent/exact"],
    ["/exactparent/wildcard/fizz/buzz", WILDCARD, "/fizz/buzz", "/exactparent/wildcard/...", "/exactparent/wildcard"],
    ["/exactparentslash/exact", EXACT, "", "/exactparentslash/exact", "/exactparentslash/exact"],
    ["/exactparentslash/wildcard/fizz/buzz", WILDCARD, "/fizz/buzz", "/exactparentslash/wildcard/...", "/exactparentslash/wildcard"],
    ["/wildcardparent", MAIN, "", "/wildcardparent/...", "/wildcardparent"],
    ["/wildcardparent/fizz/buzz", MAIN, "/fizz/buzz", "/wildcardparent/...", "/wildcardparent"],
    ["/wildcardparent/exact", EXACT, "", "/wildcardparent/exact", "/wildcardparent/exact"],
    ["/wildcardparent/wildcard/fizz/buzz", WILDCARD, "/fizz/buzz", "/wildcardparent/wildcard/...", "/wildcardparent/wildcard"],
  ])("%s runs %j", async (requestPath, description, pathInfo, matchedRoute, scriptName) => {
    const res = await fetchApp(appUrl(base, "routes", "wagi", requestPath));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      description,
      PATH_INFO: pathInfo,
      PATH_TRANSLATED: pathInfo,
      X_MATCHED_ROUTE: matchedRoute,
      X_RAW_PATH_INFO: pathInfo,
      SCRIPT_NAME: scriptName,
    });
  });

  it("routes a path no mounted route covers nowhere, as WAGI does", async () => {
    const res = await fetchApp(appUrl(base, "routes", "wagi", "/exactparent/other"));
    expect(res.status).toBe(404);
  });
});

describe("a cold app's module bytes", () => {
  it("are read from the blob store once: the read that looked for `_routes` serves the worker too", async () => {
    await createApp({ actor, input: { name: "plain" } });
    await publishVersion({ actor, appName: "plain", input: { version: "1.0.0", module: await fixture("hello-c"), files: [] } });
    await deployVersion({ actor, appName: "plain", input: { version: "1.0.0" } });
    const store = createBlobStore({ db: database.db });
    const reads: string[] = [];
    const counting: BlobStore = {
      kind: store.kind,
      put: (blobs) => store.put(blobs),
      read: (sha256) => (reads.push(sha256), store.read(sha256)),
      readPrefix: (sha256, maxBytes) => store.readPrefix(sha256, maxBytes),
      readMany: (hashes) => store.readMany(hashes),
      sweepOrphans: (options) => store.sweepOrphans(options),
      close: () => store.close(),
    };
    // A gateway of its own: nothing cached, its one worker has never seen the module.
    const freshPool = await WorkerPool.create({ size: 1 });
    const moduleCache = new ModuleCache();
    const fresh = createLiveDeployments({ db: database.db, pollMs: 60_000, blobs: counting, discoverRoutes: createExportedRouteDiscovery(freshPool, moduleCache) });
    const freshGateway = await createGateway({ resolve: fresh.resolve, pool: freshPool, moduleCache });
    try {
      const freshBase = await listenOnLoopback(freshGateway.server);
      expect(await text(appUrl(freshBase, "routes", "plain"))).toBe("200 hello from C");
      expect(reads).toHaveLength(1);
      expect(await text(appUrl(freshBase, "routes", "plain"))).toBe("200 hello from C");
      expect(reads).toHaveLength(1);
    } finally {
      await freshGateway.close();
      fresh.close();
      await freshPool.close();
      await store.close();
    }
  });
});
