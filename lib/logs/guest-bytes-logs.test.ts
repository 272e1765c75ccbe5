// Bytes a guest writes reach the logs whatever they are, on each kind of database: a real module
// (fixtures/wasm/bad-bytes.wasm) writes a NUL, invalid UTF-8, an ESC, a lone CR and a literal
// "\x41" to stderr and through the log import, another (nul-entrypoint.wasm) names a route
// entrypoint with a NUL in it, which the gateway's error line quotes; through the real gateway,
// worker pool and log sink every line is stored, and read back through
// the logs services escaped as \xHH (docs/logs.md) — the same text the IDE preview shows
// (lib/wasm/guest-text-cases.ts). Another tenant's request written in the same batch is kept.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpActor } from "@/lib/testing/actors";
import { listenOnLoopback } from "@/lib/testing/listen";
import type { Actor } from "@/lib/auth/actor";
import { createApp } from "@/lib/apps/create-app";
import { createLiveDeployments, type LiveDeployments } from "@/lib/deployments/live-deployments";
import { deployVersion } from "@/lib/deployments/deploy-version";
import { createExportedRouteDiscovery } from "@/lib/runtime/discover-routes";
import { createGateway, type Gateway } from "@/lib/runtime/gateway";
import { ModuleCache } from "@/lib/runtime/module-cache";
import { WorkerPool } from "@/lib/runtime/worker-pool";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "@/lib/testing/test-database";
import { publishVersion } from "@/lib/versions/publish-version";
import { findLogs } from "./find-logs";
import { findRequestLog } from "./find-request-log";
import { parseLogQuery } from "./log-query";
import { createLogSink, type LogSink } from "./log-sink";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";

const ROOT = path.resolve(import.meta.dirname, "../..");
const fixture = async (name: string) => new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm", `${name}.wasm`)));

describe.each<DatabaseKind>(["postgres", "embedded"])("guest bytes in the logs on %s", (kind) => {
  let database: TestDatabase;
  let pool: WorkerPool;
  let live: LiveDeployments;
  let sink: LogSink;
  let gateway: Gateway;
  let base: string;
  let alice: Actor;
  let bob: Actor;
  const warnings: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    pool = await WorkerPool.create({ size: 1 });
    const moduleCache = new ModuleCache();
    live = createLiveDeployments({ db: database.db, pollMs: 60_000, discoverRoutes: createExportedRouteDiscovery(pool, moduleCache) });
    // Written only when the test flushes: every request below lands in one batch.
    sink = createLogSink({ db: database.db, flushMs: 60_000, warn: (m) => warnings.push(m) });
    gateway = await createGateway({ resolve: live.resolve, pool, moduleCache, onLog: (record) => sink.push(record) });
    base = await listenOnLoopback(gateway.server);
    alice = await signUpActor("alice");
    bob = await signUpActor("bob");
    for (const [actor, app, module] of [[alice, "bytes", "bad-bytes"], [alice, "routes", "nul-entrypoint"], [bob, "hello", "stderr"]] as const) {
      await createApp({ actor, input: { name: app } });
      await publishVersion({ actor, appName: app, input: { version: "1.0.0", module: await fixture(module), files: [] } });
      await deployVersion({ actor, appName: app, input: { version: "1.0.0" } });
    }
    await live.refresh();
  }, 120_000);

  afterAll(async () => {
    await gateway?.close();
    await pool?.close();
    live?.close();
    await sink?.close();
    await database?.close();
  });

  const messages = (lines: { level: string; message: string }[]) => lines.map((l) => [l.level, l.message]);

  it("stores every line a guest wrote, escaped, and reads it back through the logs services", async () => {
    const ok = await fetchApp(appUrl(base, "alice", "bytes"));
    expect([ok.status, await ok.text()]).toEqual([200, "ok\n"]);
    const missing = await fetchApp(appUrl(base, "alice", "routes", "/missing"));
    expect(missing.status).toBe(502);
    const hello = await fetchApp(appUrl(base, "bob", "hello"));
    expect(hello.status).toBe(200);
    await sink.flush();
    expect(warnings).toEqual([]);

    const okId = ok.headers.get("x-request-id")!;
    const detail = await findRequestLog({ actor: alice, appName: "bytes", requestId: okId });
    expect(messages(detail.lines)).toEqual([
      ["request", expect.stringMatching(/^GET \/ 200 [\d.]+ ms$/)],
      ["stderr", "nul:\\x00:end"],
      ["stderr", "bad utf-8:\\xff\\xfe:\\xc3("],
      ["stderr", "literal:\\x5cx41 stays"],
      ["stderr", "esc:\\x1b[31mred"],
      ["stderr", "lone\\x0dcr"],
      ["stderr", "crlf"],
      ["stderr", "utf-8 ok: é"],
      ["info", "log:\\x00\\xff!"],
      ["error", "log literal \\x5cx00, truncated \\xe2\\x82"],
    ]);
    // The list the console and the CLI read says the same.
    const listed = await findLogs({ actor: alice, appName: "bytes", query: parseLogQuery(new URLSearchParams({ requestId: okId })) });
    expect(messages(listed.logs.toReversed())).toEqual(messages(detail.lines));

    // The gateway's own error line quotes the entrypoint the module named, NUL and all.
    const missingId = missing.headers.get("x-request-id")!;
    const failed = await findRequestLog({ actor: alice, appName: "routes", requestId: missingId });
    expect(failed.request).toMatchObject({ status: 502, errorCode: "missing-entrypoint", route: "/missing", error: expect.stringContaining('"nul\\x00entry"') });
    expect(failed.lines.at(-1)).toMatchObject({ level: "error", message: expect.stringMatching(/^missing-entrypoint: .*"nul\\x00entry"/) });

    // The other tenant's request of the same batch is there too.
    const bobs = await findLogs({ actor: bob, appName: "hello", query: parseLogQuery(new URLSearchParams()) });
    expect(messages(bobs.logs.toReversed())).toEqual([
      ["request", expect.stringMatching(/^GET \/ 200/)],
      ["stderr", "starting handler"],
      ["stderr", "warning: something odd but harmless"],
    ]);
  });

  it("finds escaped bytes by searching for the escape or for the byte itself", async () => {
    const search = async (q: string) =>
      (await findLogs({ actor: alice, appName: "bytes", query: parseLogQuery(new URLSearchParams({ q, level: "stderr,info" })) })).logs.map((l) => l.message);
    expect(await search("\\x00")).toEqual(["log:\\x00\\xff!", "nul:\\x00:end"]);
    expect(await search("\0")).toEqual(["log:\\x00\\xff!", "nul:\\x00:end"]);
    expect(await search("\x1b[31m")).toEqual(["esc:\\x1b[31mred"]);
  });
});
