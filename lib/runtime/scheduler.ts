/**
 * The scheduler every gateway process runs (docs/schedules.md): it finds the due slots of the
 * schedules of deployed versions, claims each in the database (exactly one gateway wins a slot:
 * lib/schedules/scheduled-runs-store.ts says how), runs the claimed ones through the gateway's own
 * request path (scheduled-requests.ts) and records their outcome. Nothing is shared between
 * gateways but the database, so any number of them, on any machines, may run it.
 *
 * - A gateway that dies mid-run leaves its row "running" with a lease; past the lease any gateway
 *   records it failed.
 * - Slots that passed while no gateway ran (older than the grace period) are recorded as missed,
 *   not replayed (plan-runs.ts).
 * - Undeploying, or deploying a version without the schedule, stops claims at once (the claim
 *   checks the live version); the spending cap refuses the run in the limits step (402: skipped).
 */
import { nextRun, type Cron } from "../manifest/cron";
import { planRuns, SCHEDULE_GRACE_MS } from "../schedules/plan-runs";
import { readSchedule, scheduleKey, type ScheduleEntry, type ScheduleRules } from "../schedules/schedule-rules";
import {
  claimRun,
  expireLeases,
  finishRun,
  lastRecordedSlot,
  loadScheduledApps,
  recordMissed,
  takePendingRun,
  type FinishedStatus,
  type ScheduledApp,
} from "../schedules/scheduled-runs-store";
import type { Db } from "../db/client";
import type { ScheduledOutcome, ScheduledRequest } from "./scheduled-requests";

export interface SchedulerOptions {
  db: Db;
  send(request: ScheduledRequest): Promise<ScheduledOutcome>;
  /** Written on the runs this gateway claims (host and pid): the record of who ran what. */
  gatewayId: string;
  rules: ScheduleRules;
  /** The longest a run may take (the operator's timeout ceiling plus the database wait): its lease adds a margin. */
  maxRunMs: number;
  now?: () => Date;
  tickMs?: number;
  graceMs?: number;
  /** Reload the list of scheduled apps at least this often (and whenever the routing epoch moves). */
  reloadMs?: number;
  onError?: (what: string, error: unknown) => void;
}

export interface Scheduler {
  /** One pass: expire leases, claim and start due runs, take a Run now request (tests call it; the timer does every tickMs). */
  tick(): Promise<void>;
  /** Stops claiming, then waits up to `drainMs` for the runs in flight; those still going are left to their lease. */
  close(drainMs?: number): Promise<void>;
}

const LEASE_MARGIN_MS = 5_000;

interface Tracked {
  app: ScheduledApp;
  entry: ScheduleEntry;
  key: string;
  cron: Cron;
  /** Nothing is due before this (null: look now). */
  next: Date | null;
}

export function startScheduler(options: SchedulerOptions): Scheduler {
  const { db } = options;
  const now = options.now ?? (() => new Date());
  const graceMs = options.graceMs ?? SCHEDULE_GRACE_MS;
  const reloadMs = options.reloadMs ?? 30_000;
  let tracked = new Map<string, Tracked>();
  let loadedAt = -Infinity;
  let epoch: bigint | null = null;
  const inFlight = new Set<Promise<void>>();
  const reported = new Set<string>();
  let closed = false;

  const report = (what: string, error: unknown) => (options.onError ?? ((w, e) => console.error(`[scheduler] ${w}: ${e instanceof Error ? e.message : String(e)}`)))(what, error);

  async function reloadIfNeeded(): Promise<void> {
    const row = await db.routingEpoch.findUnique({ where: { id: 1 } });
    const value = row?.value ?? 0n;
    if (value === epoch && performance.now() - loadedAt < reloadMs) return;
    epoch = value;
    loadedAt = performance.now();
    const next = new Map<string, Tracked>();
    for (const app of await loadScheduledApps(db)) {
      app.schedules.forEach((entry, i) => {
        const read = readSchedule(entry, i, options.rules);
        const key = scheduleKey(entry);
        const id = `${app.appId} ${key}`;
        if ("problem" in read) {
          // Published before the operator raised the minimum interval (or with seconds outside tests).
          if (!reported.has(id)) report(`skipping a schedule of ${app.tenant}/${app.app}`, read.problem);
          reported.add(id);
          return;
        }
        const previous = tracked.get(id);
        next.set(id, { app, entry, key, cron: read.cron, next: previous && previous.app.versionId === app.versionId ? previous.next : null });
      });
    }
    tracked = next;
  }

  async function planOne(t: Tracked, at: Date): Promise<void> {
    const last = await lastRecordedSlot(db, t.app.appId, t.key);
    const after = last && last > t.app.deployedAt ? last : t.app.deployedAt;
    const plan = planRuns(t.cron, after, at, graceMs);
    if (plan.missed) await recordMissed(db, { app: t.app, scheduleKey: t.key, ...plan.missed });
    for (const slot of plan.due) {
      const id = await claimRun(db, { app: t.app, scheduleKey: t.key, scheduledAt: slot, gatewayId: options.gatewayId, leaseUntil: leaseFrom(at) });
      if (id) launch(id, t.app, t.entry, slot);
    }
    t.next = nextRun(t.cron, at);
  }

  // The lease outlasts the wait for the answer (maxRunMs + margin) by another margin.
  const leaseFrom = (at: Date) => new Date(at.getTime() + options.maxRunMs + 2 * LEASE_MARGIN_MS);

  function launch(id: string, app: ScheduledApp, entry: ScheduleEntry, scheduledAt: Date): void {
    const run = execute(id, app, entry, scheduledAt)
      .catch((e) => report(`recording run ${id}`, e))
      .finally(() => inFlight.delete(run));
    inFlight.add(run);
  }

  async function execute(id: string, app: ScheduledApp, entry: ScheduleEntry, scheduledAt: Date): Promise<void> {
    const outcome = await options.send({
      tenant: app.tenant,
      app: app.app,
      method: entry.method,
      path: entry.path,
      body: entry.body,
      scheduledAt: scheduledAt.toISOString(),
      waitMs: options.maxRunMs + LEASE_MARGIN_MS,
    });
    await finishRun(db, id, options.gatewayId, {
      status: statusOf(outcome.status),
      durationMs: outcome.durationMs,
      httpStatus: outcome.status || null,
      requestId: outcome.requestId,
      error: outcome.error ?? null,
    });
  }

  async function takeRunNow(at: Date): Promise<void> {
    const run = await takePendingRun(db, options.gatewayId, leaseFrom(at));
    if (!run) return;
    const t = tracked.get(`${run.appId} ${run.scheduleKey}`);
    if (!t) {
      await finishRun(db, run.id, options.gatewayId, { status: "failed", durationMs: 0, httpStatus: null, requestId: null, error: "The schedule is no longer deployed." });
      return;
    }
    launch(run.id, t.app, t.entry, run.scheduledAt);
  }

  let expiredAt = -Infinity;
  async function tick(): Promise<void> {
    if (closed) return;
    const at = now();
    // Leases are checked once a second of the scheduler's clock, not on every tick.
    if (at.getTime() - expiredAt >= 1000) {
      expiredAt = at.getTime();
      await expireLeases(db, at);
    }
    await reloadIfNeeded();
    for (const t of tracked.values()) {
      if (closed) return;
      if (t.next && at < t.next) continue;
      await planOne(t, at).catch((e) => report(`schedule ${t.key} of ${t.app.tenant}/${t.app.app}`, e));
    }
    await takeRunNow(at);
  }

  let running: Promise<void> = Promise.resolve();
  const timer = options.tickMs === 0 ? null : setInterval(() => {
    running = running.then(tick).catch((e) => report("tick", e));
  }, options.tickMs ?? 1000);
  timer?.unref();

  return {
    tick: () => (running = running.then(tick)),
    async close(drainMs = 0) {
      closed = true;
      if (timer) clearInterval(timer);
      await running.catch(() => {});
      const deadline = new Promise((r) => setTimeout(r, drainMs).unref());
      await Promise.race([Promise.all([...inFlight]), deadline]);
    },
  };
}

/** 2xx/3xx ran; the spending cap's 402 did not run the guest; anything else failed. */
function statusOf(httpStatus: number): FinishedStatus {
  if (httpStatus >= 200 && httpStatus < 400) return "succeeded";
  if (httpStatus === 402) return "skipped";
  return "failed";
}

