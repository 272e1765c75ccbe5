// A deploy reaches the database gateway by notification (lib/db/routing-epoch-listener.ts): the
// epoch bump it commits is heard at once, so the new version answers the next request without any
// poll. The poll here is an hour, so nothing but the notification can move the gateway; on both
// kinds of database the platform runs on.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpActor } from "@/lib/testing/actors";
import { listenOnLoopback } from "@/lib/testing/listen";
import type { Actor } from "@/lib/auth/actor";
import { createApp } from "@/lib/apps/create-app";
import { listenForRoutingEpoch, type RoutingEpochListener } from "@/lib/db/routing-epoch-listener";
import { createGateway, type Gateway } from "@/lib/runtime/gateway";
import { ModuleCache } from "@/lib/runtime/module-cache";
import { WorkerPool } from "@/lib/runtime/worker-pool";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "@/lib/testing/test-database";
import { waitUntil } from "@/lib/testing/wait-until";
import { publishVersion } from "@/lib/versions/publish-version";
import { deployVersion } from "./deploy-version";
import { createLiveDeployments, type LiveDeployments } from "./live-deployments";

const ROOT = path.resolve(import.meta.dirname, "../..");
const fixture = async (name: string) => new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm", `${name}.wasm`)));

describe.each(["embedded", "postgres"] as DatabaseKind[])("a deploy on the %s database", (kind) => {
  let database: TestDatabase;
  let pool: WorkerPool;
  let live: LiveDeployments;
  let listener: RoutingEpochListener;
  let gateway: Gateway;
  let base: string;
  let actor: Actor;
  let epochChanges = 0;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    pool = await WorkerPool.create({ size: 1 });
    const moduleCache = new ModuleCache();
    live = createLiveDeployments({
      db: database.db,
      pollMs: 3_600_000,
      onEpochChange: () => epochChanges++,
      epochEvents: (onBump) => (listener = listenForRoutingEpoch({ databaseUrl: database.url, onNotify: onBump })),
    });
    await listener.ready;
    // The check the listener's connect starts (a bump may have gone unheard before it) is settled.
    await live.refresh();
    gateway = await createGateway({ resolve: live.resolve, pool, moduleCache });
    base = await listenOnLoopback(gateway.server);
    actor = await signUpActor("notify", `notify-${kind}@example.com`);
    await createApp({ actor, input: { name: "app" } });
    await publishVersion({ actor, appName: "app", input: { version: "1.0.0", module: await fixture("hello-wat"), files: [] } });
    await publishVersion({ actor, appName: "app", input: { version: "1.0.1", module: await fixture("hello-c"), files: [] } });
  }, 120_000);

  afterAll(async () => {
    await gateway?.close();
    live?.close();
    await pool?.close();
    await database?.close();
  });

  const body = async () => {
    const res = await fetchApp(appUrl(base, "notify", "app"));
    return `${res.status} ${await res.text()}`;
  };

  it("is served from the next request once its one notification arrives, with no poll", async () => {
    expect(await body()).toMatch(/^404 /);
    let changes = epochChanges;
    await deployVersion({ actor, appName: "app", input: { version: "1.0.0" } });
    await waitUntil(async () => epochChanges > changes, 10_000, "the epoch check the first deploy's notification starts");
    expect(listener.notifications).toBe(1);
    expect(await body()).toBe("200 hello from WAT\n");

    // The gateway now holds 1.0.0; only the next deploy's notification can make it look again.
    changes = epochChanges;
    await deployVersion({ actor, appName: "app", input: { version: "1.0.1" } });
    await waitUntil(async () => epochChanges > changes, 10_000, "the epoch check the second deploy's notification starts");
    expect(listener.notifications).toBe(2);
    expect(await body()).toBe("200 hello from C\n");
  });

  // Only PostgreSQL has a listening connection of its own to cut (the embedded database serves
  // every connection from one session): the case is defined for it alone, not skipped.
  if (kind === "postgres") it("after its listening connection is cut, a deploy made meanwhile is still served without a poll", async () => {
    await deployVersion({ actor, appName: "app", input: { version: "1.0.1" } });
    await waitUntil(async () => (await body()) === "200 hello from C\n", 10_000, "1.0.1 served and cached");
    const cut = await database.db.$queryRaw<{ pid: number }[]>`
      SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()`;
    expect(cut).toHaveLength(1);
    await deployVersion({ actor, appName: "app", input: { version: "1.0.0" } });
    // Heard live if the listener is back in time, else by the check its reconnect makes.
    await waitUntil(async () => (await body()) === "200 hello from WAT\n", 10_000, "the deploy made while the listener was cut off");
  });
});
