// Which slots of a schedule to run now and which were missed: a pure function of the last slot
// recorded, the clock and the grace period, so every gateway reaches the same plan.
import { nextRun, type Cron } from "@/lib/manifest/cron";

/**
 * How late a slot may still run (default). Older slots passed while no gateway was running them:
 * they are recorded as missed, not replayed in a burst when a gateway comes back.
 */
export const SCHEDULE_GRACE_MS = 60_000;

/** Past this many slots a gap is counted no further (a seconds schedule down for days). */
const MAX_COUNTED = 100_000;

export interface Missed {
  first: Date;
  last: Date;
  count: number;
}

export interface RunPlan {
  /** Slots in (after, now - grace]: recorded as one missed row, at the last of them. */
  missed: Missed | null;
  /** Slots in (now - grace, now], oldest first: each claimed and run. */
  due: Date[];
}

/** The plan for the slots after `after` (the last slot recorded, or when the schedule was deployed) up to `now`. */
export function planRuns(cron: Cron, after: Date, now: Date, graceMs = SCHEDULE_GRACE_MS): RunPlan {
  const oldest = now.getTime() - graceMs;
  let missed: Missed | null = null;
  const due: Date[] = [];
  let slot = nextRun(cron, after);
  let counted = 0;
  while (slot && slot.getTime() <= now.getTime()) {
    if (slot.getTime() <= oldest) {
      if (missed) {
        missed.last = slot;
        missed.count++;
      } else missed = { first: slot, last: slot, count: 1 };
      if (++counted >= MAX_COUNTED) {
        // Skip ahead to the grace period's start: the slots in between are not counted.
        slot = nextRun(cron, new Date(Math.max(slot.getTime(), oldest - 1)));
        counted = 0;
        continue;
      }
    } else due.push(slot);
    slot = nextRun(cron, slot);
  }
  return { missed, due };
}
