// Schedules run exactly once across gateway processes on one PostgreSQL (docs/schedules.md):
// three real gateways race for every slot of a once-a-second test schedule (seconds only exist
// under WASMCOMPUTE_TEST_SECOND_SCHEDULES=on), one is killed mid-way, and the counts must add up:
// every slot has one row, every run that succeeded executed once (the guest's KV counter), a run
// the killed gateway held is recorded failed when its lease runs out, and a deploy without the
// schedule stops the claims.
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signUpActor } from "@/lib/testing/actors";
import type { Actor } from "@/lib/auth/actor";
import { createApp } from "@/lib/apps/create-app";
import { deployVersion } from "@/lib/deployments/deploy-version";
import { getKvEntry } from "@/lib/kv/get-kv-entry";
import { freePort, startGatewayProcess } from "@/lib/testing/platform";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { waitUntil } from "@/lib/testing/wait-until";
import { publishVersion } from "@/lib/versions/publish-version";
import { setSpendingCap } from "@/lib/billing/set-spending-cap";
import { TEST_SECOND_SCHEDULES_ENV } from "./schedule-rules";

const ROOT = path.resolve(import.meta.dirname, "../..");
const GATEWAY_ENV = {
  [TEST_SECOND_SCHEDULES_ENV]: "on",
  // A shorter lease (timeout ceiling + database wait + 5 s): the killed gateway's run fails sooner.
  GATEWAY_MAX_TIMEOUT_MS: "8000",
};
const MANIFEST = "schedules:\n  - cron: '* * * * * *'\n    path: /count\n    method: GET\n";

let database: TestDatabase;
let gateways: ChildProcess[] = [];
let actor: Actor;
let appId: string;

beforeAll(async () => {
  process.env[TEST_SECOND_SCHEDULES_ENV] = "on";
  database = await createTestDatabase("postgres");
  actor = await signUpActor("clock");
  await createApp({ actor, input: { name: "ticker" } });
  appId = (await database.db.app.findFirstOrThrow({ where: { tenantId: actor.tenantId, name: "ticker" } })).id;
  const module = new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm/kv-counter-c-sdk.wasm")));
  await publishVersion({ actor, appName: "ticker", input: { version: "1.0.0", module, manifestText: MANIFEST, files: [] } });
  await publishVersion({ actor, appName: "ticker", input: { version: "2.0.0", module, manifestText: "routes:\n  - path: /...\n", files: [] } });
  const ports = await Promise.all([freePort(), freePort(), freePort()]);
  gateways = await Promise.all(ports.map((port) => startGatewayProcess({ databaseUrl: database.url, port, env: GATEWAY_ENV })));
}, 180_000);

afterAll(async () => {
  delete process.env[TEST_SECOND_SCHEDULES_ENV];
  for (const g of gateways) if (g.exitCode === null && g.signalCode === null) g.kill("SIGKILL");
  await database?.close();
});

const runs = () => database.db.scheduledRun.findMany({ where: { appId }, orderBy: { scheduledAt: "asc" } });
const count = async (status?: string) => database.db.scheduledRun.count({ where: { appId, ...(status ? { status } : {}) } });

it("N due runs over three gateways execute exactly N times, across a killed gateway, and stop when the schedule is undeployed", async () => {
  await deployVersion({ actor, appName: "ticker", input: { version: "1.0.0" } });
  await waitUntil(async () => (await count("succeeded")) >= 3, 120_000, "3 scheduled runs");

  // Kill one gateway outright (no drain): whatever it held is left to its lease.
  const [killed, ...alive] = gateways;
  const exited = once(killed!, "exit");
  killed!.kill("SIGKILL");
  await exited;
  const before = await count();
  await waitUntil(async () => (await count()) >= before + 8, 60_000, "8 more runs after the kill");

  // Deploying a version without the schedule stops the claims as soon as it commits.
  await deployVersion({ actor, appName: "ticker", input: { version: "2.0.0" } });
  const deployedAt = (await database.db.$queryRaw<{ now: Date }[]>`SELECT now()`)[0]!.now;
  // Runs in flight finish; a run the killed gateway held is recorded failed once its lease is over.
  await waitUntil(async () => (await count("running")) === 0, 60_000, "no run left running");
  // The survivors drain and write their logs.
  await Promise.all(alive.map(async (g) => {
    const done = once(g, "exit");
    g.kill("SIGTERM");
    await done;
  }));

  const all = await runs();
  const slots = all.map((r) => r.scheduledAt.getTime());
  // One row per slot (the unique claim), and no slot skipped between the first and the last.
  expect(new Set(slots).size).toBe(slots.length);
  expect(all.filter((r) => r.status === "missed")).toEqual([]);
  expect(slots.slice(1).map((s, i) => s - slots[i]!).filter((gap) => gap !== 1000)).toEqual([]);
  expect(all.filter((r) => r.claimedAt > deployedAt)).toEqual([]);

  const succeeded = all.filter((r) => r.status === "succeeded");
  const failed = all.filter((r) => r.status === "failed");
  expect(succeeded.length + failed.length).toBe(all.length);
  // A run left without an outcome is one the killed gateway held in flight (how many depends on the
  // machine's load: claims go on every second while runs take longer), and the record says so. Other failures are answers through the request path (on a loaded
  // machine, a run past its deadline): they carry the gateway's status.
  const killedId = `:${killed!.pid}`;
  const abandoned = failed.filter((r) => /stopped before it finished/.test(r.error ?? ""));
  for (const run of abandoned) {
    expect(run.claimedBy).toMatch(new RegExp(`${killedId}$`));
    expect(run.error).toMatch(/stopped before it finished/);
  }
  expect(failed.filter((r) => !abandoned.includes(r)).every((r) => r.error)).toBe(true);
  expect(succeeded.every((r) => r.httpStatus === 200 && r.requestId)).toBe(true);

  // Executions: each succeeded run incremented "hits" once; a failed one may or may not have.
  const hits = Number((await getKvEntry({ actor, appName: "ticker", key: "hits" })).value);
  expect(hits).toBeGreaterThanOrEqual(succeeded.length);
  expect(hits).toBeLessThanOrEqual(succeeded.length + failed.length);

  // Logged through the request path, marked with the slot: the survivors' runs are all there.
  const survivorRuns = succeeded.filter((r) => !r.claimedBy!.endsWith(killedId));
  // (Its access line, "[scheduled <slot>] GET …", is made from the record when read: lib/logs/access-line.ts.)
  const records = await database.db.requestRecord.findMany({ where: { tenantId: actor.tenantId, scheduledAt: { not: null } } });
  const logged = new Set(records.map((r) => r.scheduledAt));
  expect(survivorRuns.filter((r) => !logged.has(r.scheduledAt.toISOString()))).toEqual([]);
}, 240_000);

it("a hard spending cap that is reached stops scheduled runs in the limits step, and a redeploy does not replay the gap", async () => {
  const hitsBefore = (await getKvEntry({ actor, appName: "ticker", key: "hits" })).value;
  // No free tier: the runs above already cost money, so a hard cap of 0 is reached.
  await setSpendingCap({ actor, input: { cap: 0, mode: "hard" } });
  const port = await freePort();
  gateways.push(await startGatewayProcess({ databaseUrl: database.url, port, env: { ...GATEWAY_ENV, PRICE_PLAN: JSON.stringify({ free: { requests: 0 } }) } }));
  const rowsBefore = await count();
  await deployVersion({ actor, appName: "ticker", input: { version: "1.0.0" } });
  await waitUntil(async () => (await count("skipped")) >= 3, 60_000, "3 runs refused by the cap");
  await waitUntil(async () => (await count("running")) === 0, 60_000, "no run left running");

  const after = (await runs()).slice(rowsBefore);
  expect(after.length).toBeGreaterThanOrEqual(3);
  // Every run since is refused with the cap's 402 before the guest runs; no missed row for the
  // time the schedule was not deployed.
  expect(after.filter((r) => r.status !== "skipped" || r.httpStatus !== 402)).toEqual([]);
  expect(after[0]!.error).toMatch(/spending cap/i);
  expect((await getKvEntry({ actor, appName: "ticker", key: "hits" })).value).toBe(hitsBefore);
}, 120_000);
