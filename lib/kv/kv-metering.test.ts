// KV operations are metered exactly: every kv call a guest makes counts once in its request's log
// record and in UsageDaily.kvOps, also when the requests are spread over two gateway processes.
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signUpActor } from "@/lib/testing/actors";
import type { Actor } from "@/lib/auth/actor";
import { createApp } from "@/lib/apps/create-app";
import { deployVersion } from "@/lib/deployments/deploy-version";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";
import { freePort, startGatewayProcess } from "@/lib/testing/platform";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { publishVersion } from "@/lib/versions/publish-version";
import { getKvEntry } from "./get-kv-entry";

const ROOT = path.resolve(import.meta.dirname, "../..");

let database: TestDatabase;
let gateways: ChildProcess[] = [];
let ports: number[] = [];
let actor: Actor;
let appId: string;

beforeAll(async () => {
  database = await createTestDatabase("postgres");
  actor = await signUpActor("meter");
  await createApp({ actor, input: { name: "counter" } });
  appId = (await database.db.app.findFirstOrThrow({ where: { tenantId: actor.tenantId, name: "counter" } })).id;
  const module = new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm/kv-counter-c-sdk.wasm")));
  await publishVersion({ actor, appName: "counter", input: { version: "1.0.0", module, files: [] } });
  await deployVersion({ actor, appName: "counter", input: { version: "1.0.0" } });
  ports = [await freePort(), await freePort()];
  gateways = await Promise.all(ports.map((port) => startGatewayProcess({ databaseUrl: database.url, port })));
}, 180_000);

afterAll(async () => {
  for (const g of gateways) if (g.exitCode === null) g.kill("SIGKILL");
  await database?.close();
});

it("N counter requests over two gateways meter exactly N × ops per request", async () => {
  const N = 120;
  // /count makes 2 kv calls (kv_incr "hits", kv_set_ttl "last"); /get/nothing makes 1 (a miss).
  const COUNT_OPS = 2;
  const MISSES = 30;
  const answers = await Promise.all([
    ...Array.from({ length: N }, (_, i) => fetchApp(appUrl(ports[i % 2]!, actor.tenantName, "counter", "/count")).then((r) => r.status)),
    ...Array.from({ length: MISSES }, (_, i) => fetchApp(appUrl(ports[i % 2]!, actor.tenantName, "counter", "/get/nothing")).then((r) => r.status)),
  ]);
  expect(answers.filter((s) => s === 200)).toHaveLength(N);
  expect(answers.filter((s) => s === 404)).toHaveLength(MISSES);
  expect((await getKvEntry({ actor, appName: "counter", key: "hits" })).value).toBe(String(N));

  // A stopped gateway writes its last batch of request logs (and their usage) before it exits.
  await Promise.all(
    gateways.map(async (g) => {
      const exited = once(g, "exit");
      g.kill("SIGTERM");
      await exited;
    }),
  );
  const usage = await database.db.usageDaily.findMany({ where: { tenantId: actor.tenantId, appId } });
  expect(usage).toHaveLength(1);
  expect(usage[0]!.requests).toBe(BigInt(N + MISSES));
  expect(usage[0]!.kvOps).toBe(BigInt(N * COUNT_OPS + MISSES));
}, 120_000);
