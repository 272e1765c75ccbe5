// The scheduler against a real database (the embedded one `npm start` uses), two schedulers in
// one process standing for two gateways, on a clock the test moves: a slot is claimed once, a run
// whose gateway never answers is recorded failed once its lease is over, a gap is recorded as
// missed rather than replayed, and a deploy without the schedule stops it.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signUpActor } from "@/lib/testing/actors";
import type { Actor } from "@/lib/auth/actor";
import { createApp } from "@/lib/apps/create-app";
import { deployVersion } from "@/lib/deployments/deploy-version";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { publishVersion } from "@/lib/versions/publish-version";
import { startScheduler, type Scheduler } from "./scheduler";
import type { ScheduledRequest } from "./scheduled-requests";

const ROOT = path.resolve(import.meta.dirname, "../..");
const MINUTE = 60_000;

let database: TestDatabase;
let actor: Actor;
let appId: string;
let deployedAt: Date;
const schedulers: Scheduler[] = [];

beforeAll(async () => {
  database = await createTestDatabase("embedded");
  actor = await signUpActor("cron");
  await createApp({ actor, input: { name: "jobs" } });
  appId = (await database.db.app.findFirstOrThrow({ where: { tenantId: actor.tenantId, name: "jobs" } })).id;
  const module = new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm/hello-wat.wasm")));
  const manifestText = "schedules:\n  - cron: '*/5 * * * *'\n    path: /tasks/cleanup\n    body: go\n";
  await publishVersion({ actor, appName: "jobs", input: { version: "1.0.0", module, manifestText, files: [] } });
  await publishVersion({ actor, appName: "jobs", input: { version: "2.0.0", module, files: [] } });
  await deployVersion({ actor, appName: "jobs", input: { version: "1.0.0" } });
  deployedAt = (await database.db.liveRoute.findFirstOrThrow({ where: { appId } })).updatedAt;
}, 120_000);

afterAll(async () => {
  await Promise.all(schedulers.map((s) => s.close()));
  await database?.close();
});

// The first slot of "every 5 minutes" after the deploy.
function firstSlot(): Date {
  const five = 5 * MINUTE;
  return new Date(Math.floor(deployedAt.getTime() / five) * five + five);
}

function gateway(name: string, clock: { now: Date }, send: (r: ScheduledRequest) => Promise<{ status: number; durationMs: number; requestId: string | null }>) {
  const scheduler = startScheduler({
    db: database.db,
    send,
    gatewayId: name,
    rules: { minIntervalMinutes: 1, allowSeconds: false },
    maxRunMs: 10_000,
    now: () => clock.now,
    tickMs: 0,
    onError: (what, e) => {
      throw new Error(`${what}: ${String(e)}`);
    },
  });
  schedulers.push(scheduler);
  return scheduler;
}

const runs = () => database.db.scheduledRun.findMany({ where: { appId }, orderBy: { scheduledAt: "asc" } });

it("claims each slot once between gateways, fails a run whose gateway went silent, and records a gap as missed", async () => {
  const slot = firstSlot();
  const clock = { now: new Date(slot.getTime() + 2000) };
  const sent: ScheduledRequest[] = [];
  const ok = async (r: ScheduledRequest) => {
    sent.push(r);
    return { status: 200, durationMs: 3, requestId: null };
  };
  // Gateway "silent" claims the first slot and never answers (as if it died mid-run).
  const silent = gateway("silent", clock, () => new Promise(() => {}));
  await silent.tick();
  const healthy = gateway("healthy", clock, ok);
  await healthy.tick();
  let all = await runs();
  expect(all).toMatchObject([{ scheduledAt: slot, status: "running", claimedBy: "silent" }]);
  expect(sent).toEqual([]);

  // Past the lease (10 s + margins), the next tick records it failed; the next slot runs once.
  clock.now = new Date(slot.getTime() + 5 * MINUTE + 1000);
  await healthy.tick();
  await healthy.tick();
  await healthy.close(1000);
  all = await runs();
  expect(all).toMatchObject([
    { scheduledAt: slot, status: "failed", claimedBy: "silent", error: expect.stringMatching(/stopped before it finished/) },
    { scheduledAt: new Date(slot.getTime() + 5 * MINUTE), status: "succeeded", claimedBy: "healthy", httpStatus: 200 },
  ]);
  expect(sent).toEqual([expect.objectContaining({ tenant: "cron", app: "jobs", method: "POST", path: "/tasks/cleanup", body: "go", scheduledAt: all[1]!.scheduledAt.toISOString() })]);

  // Two hours with no gateway: the slots older than the grace period are one missed row; the
  // latest slot (30 s late) runs; nothing is replayed in a burst.
  const back = { now: new Date(slot.getTime() + 125 * MINUTE + 30_000) };
  const returning = gateway("returning", back, ok);
  await returning.tick();
  await returning.close(1000);
  all = await runs();
  expect(all.slice(2)).toMatchObject([
    { status: "missed", missedFrom: new Date(slot.getTime() + 10 * MINUTE), scheduledAt: new Date(slot.getTime() + 120 * MINUTE), missedCount: 23 },
    { status: "succeeded", scheduledAt: new Date(slot.getTime() + 125 * MINUTE), claimedBy: "returning" },
  ]);
  expect(sent).toHaveLength(2);
}, 60_000);

it("stops when a version without the schedule is deployed", async () => {
  await deployVersion({ actor, appName: "jobs", input: { version: "2.0.0" } });
  const before = (await runs()).length;
  const clock = { now: new Date(firstSlot().getTime() + 200 * MINUTE) };
  const sent: ScheduledRequest[] = [];
  const later = gateway("later", clock, async (r) => {
    sent.push(r);
    return { status: 200, durationMs: 1, requestId: null };
  });
  await later.tick();
  expect(sent).toEqual([]);
  expect(await runs()).toHaveLength(before);
}, 60_000);

it("publish refuses a schedule more frequent than SCHEDULE_MIN_INTERVAL_MINUTES, and seconds outside tests, naming the entry", async () => {
  const module = new Uint8Array(await readFile(path.join(ROOT, "fixtures/wasm/hello-wat.wasm")));
  const publish = (version: string, cron: string) =>
    publishVersion({ actor, appName: "jobs", input: { version, module, manifestText: `schedules:\n  - cron: '0 3 * * *'\n    path: /a\n  - cron: '${cron}'\n    path: /b\n`, files: [] } });
  process.env.SCHEDULE_MIN_INTERVAL_MINUTES = "15";
  try {
    await expect(publish("3.0.0", "*/10 * * * *")).rejects.toMatchObject({ code: "UNPROCESSABLE", details: { field: "manifest" }, message: expect.stringMatching(/^wasmcompute\.yaml: schedules\[1\]\.cron: "\*\/10 \* \* \* \*" may run every 10 minutes.*every 15 minutes at most, SCHEDULE_MIN_INTERVAL_MINUTES/) });
    await expect(publish("3.0.0", "* * * * * *")).rejects.toMatchObject({ message: expect.stringMatching(/schedules\[1\]\.cron: .*has 6 fields; a schedule takes 5/) });
    await expect(publish("3.0.0", "*/15 * * * *")).resolves.toMatchObject({ version: "3.0.0" });
  } finally {
    delete process.env.SCHEDULE_MIN_INTERVAL_MINUTES;
  }
}, 60_000);
