// What a version's `schedules` may be (checked at publish) and how a schedule is named across
// versions. Isomorphic: no node:*, no database.
import { parseCron, shortestIntervalSeconds, type Cron } from "@/lib/manifest/cron";

export interface ScheduleEntry {
  cron: string;
  path: string;
  method: string;
  body?: string;
}

/**
 * Test-only (never in README's settings table): lets a schedule carry a leading seconds field, so
 * a test sees many runs in seconds; the minimum interval is then not applied. The console's
 * publish and the gateway read it; an operator has no reason to set it.
 */
export const TEST_SECOND_SCHEDULES_ENV = "WASMCOMPUTE_TEST_SECOND_SCHEDULES";

export function secondSchedulesAllowed(env: Record<string, string | undefined>): boolean {
  return env[TEST_SECOND_SCHEDULES_ENV] === "on";
}

export interface ScheduleRules {
  minIntervalMinutes: number;
  allowSeconds: boolean;
}

/** The parsed cron of an entry that keeps the rules, or the sentence saying why not (naming the entry). */
export function readSchedule(entry: ScheduleEntry, index: number, rules: ScheduleRules): { cron: Cron } | { problem: string } {
  const field = `wasmcompute.yaml: schedules[${index}].cron`;
  let cron: Cron;
  try {
    cron = parseCron(entry.cron, { allowSeconds: rules.allowSeconds });
  } catch (e) {
    return { problem: `${field}: ${(e as Error).message}.` };
  }
  if (cron.seconds) return { cron };
  const shortest = shortestIntervalSeconds(cron);
  if (shortest < rules.minIntervalMinutes * 60) {
    return {
      problem:
        `${field}: "${entry.cron}" may run every ${describeSeconds(shortest)}, more often than this platform allows ` +
        `(every ${rules.minIntervalMinutes} minute${rules.minIntervalMinutes === 1 ? "" : "s"} at most, SCHEDULE_MIN_INTERVAL_MINUTES). Run it less often.`,
    };
  }
  return { cron };
}

/** Every entry's problem (empty: all keep the rules). */
export function scheduleProblems(entries: ScheduleEntry[], rules: ScheduleRules): string[] {
  return entries.flatMap((entry, i) => {
    const read = readSchedule(entry, i, rules);
    return "problem" in read ? [read.problem] : [];
  });
}

/**
 * A schedule's identity across versions: the same method, path and cron in the next version is the
 * same schedule, so a redeploy neither runs a slot twice nor forgets the last run.
 */
export function scheduleKey(entry: ScheduleEntry): string {
  return `${entry.method} ${entry.path} ${entry.cron.trim().split(/\s+/).join(" ")}`;
}

function describeSeconds(seconds: number): string {
  if (seconds % 60 !== 0) return `${seconds} seconds`;
  const minutes = seconds / 60;
  return minutes === 1 ? "minute" : `${minutes} minutes`;
}
