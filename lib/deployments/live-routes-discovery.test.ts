// A published module that declares its own routes (WAGI `_routes`) gets them on the database
// gateway too, as in the folder registry and the editor's preview; a manifest that lists routes
// of its own turns discovery off.
import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { createApp } from "@/lib/apps/create-app";
import { deployVersion } from "@/lib/deployments/deploy-version";
import { createGateway, type Gateway } from "@/lib/runtime/gateway";
import { createExportedRouteDiscovery } from "@/lib/runtime/discover-routes";
import { ModuleCache } from "@/lib/runtime/module-cache";
import { WorkerPool } from "@/lib/runtime/worker-pool";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { signUp } from "@/lib/tenants/sign-up";
import { publishVersion } from "@/lib/versions/publish-version";
import { createLiveDeployments, type LiveDeployments } from "./live-deployments";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";

const ROOT = path.resolve(import.meta.dirname, "../..");
const fixture = async (name: string) => new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm", `${name}.wasm`)));

let database: TestDatabase;
let pool: WorkerPool;
let live: LiveDeployments;
let gateway: Gateway;
let base: string;
let actor: Actor;
let discoveries = 0;

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
  await new Promise<void>((r) => gateway.server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`;
  const a = await signUp({ email: "routes@example.com", password: "correct horse battery", tenant: "routes" });
  actor = { tenantId: a.tenantId, tenantName: a.tenantName, userId: a.userId, scope: "admin" };
  for (const [app, manifestText] of [
    ["own", undefined],
    ["declared", "routes:\n  - path: /...\n    entrypoint: _start\n  - path: /hello\n    entrypoint: goodbye\n"],
  ] as const) {
    await createApp({ actor, input: { name: app } });
    await publishVersion({ actor, appName: app, input: { version: "1.0.0", module: await fixture("routes"), manifestText, files: [] } });
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

  it("leaves the routes alone when the manifest declares its own", async () => {
    expect(await text(appUrl(base, "routes", "declared", "/hello"))).toBe("200 goodbye");
    expect(await text(appUrl(base, "routes", "declared", "/goodbye/x"))).toBe("200 main");
  });
});
