// Cron expressions for `schedules` in wasmcompute.yaml: the standard five fields (minute hour
// day-of-month month day-of-week), read in UTC, plus the usual @hourly/@daily/... shorthands.
// Ours rather than a package: ~150 lines, no dependency, and the same code checks a manifest at
// publish and finds the next run in the gateway. Isomorphic (no node:*): the editor may use it.
//
// A sixth, leading seconds field exists only for tests (WASMCOMPUTE_TEST_SECOND_SCHEDULES=on, read
// by the console's publish and the gateway, never a setting an operator is offered): it lets a
// test see many runs in a few seconds.

export interface Cron {
  /** The expression as written. */
  source: string;
  seconds: Set<number> | null;
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  /** 0 = Sunday (7 is read as 0). */
  daysOfWeek: Set<number>;
  /** Both day fields restricted: a day matches either (standard cron), else both. */
  dayOr: boolean;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** The first name's number (months: 1, days: 0). */
  namesFrom?: number;
}

const SECOND: FieldSpec = { name: "second", min: 0, max: 59 };
const FIELDS: FieldSpec[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  { name: "day of week", min: 0, max: 7, names: DAYS, namesFrom: 0 },
];

const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

export class CronError extends Error {
  override name = "CronError";
}

/** Parses `source`; a CronError says which field is wrong and what it takes. */
export function parseCron(source: string, options: { allowSeconds?: boolean } = {}): Cron {
  const text = source.trim();
  const expanded = MACROS[text.toLowerCase()] ?? text;
  const parts = expanded.split(/\s+/).filter(Boolean);
  const withSeconds = parts.length === 6 && options.allowSeconds === true;
  if (parts.length !== 5 && !withSeconds) {
    throw new CronError(`"${text}" has ${parts.length} field${parts.length === 1 ? "" : "s"}; a schedule takes 5: minute hour day-of-month month day-of-week (UTC), e.g. "*/5 * * * *"`);
  }
  const [minute, hour, dom, month, dow] = withSeconds ? parts.slice(1) : parts;
  const daysOfWeek = parseField(dow!, FIELDS[4]!);
  if (daysOfWeek.delete(7)) daysOfWeek.add(0);
  return {
    source: text,
    seconds: withSeconds ? parseField(parts[0]!, SECOND) : null,
    minutes: parseField(minute!, FIELDS[0]!),
    hours: parseField(hour!, FIELDS[1]!),
    daysOfMonth: parseField(dom!, FIELDS[2]!),
    months: parseField(month!, FIELDS[3]!),
    daysOfWeek,
    dayOr: !dom!.startsWith("*") && !dow!.startsWith("*"),
  };
}

/** The problem with `source` as a sentence, or null when it parses. */
export function cronProblem(source: string, options: { allowSeconds?: boolean } = {}): string | null {
  try {
    parseCron(source, options);
    return null;
  } catch (e) {
    if (e instanceof CronError) return e.message;
    throw e;
  }
}

function parseField(text: string, spec: FieldSpec): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(",")) {
    const bad = (why: string) => new CronError(`${spec.name} "${text}": ${why} (it takes ${spec.min}-${spec.max}${spec.names ? ` or ${spec.names[0]!.toUpperCase()}-${spec.names.at(-1)!.toUpperCase()}` : ""}, *, ranges a-b, lists a,b and steps */n)`);
    const match = /^(\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:\/(\d+))?$/i.exec(item);
    if (!match) throw bad(`"${item}" is not a value, range or step`);
    const step = match[2] === undefined ? 1 : Number(match[2]);
    if (!Number.isSafeInteger(step) || step < 1) throw bad(`the step in "${item}" must be 1 or more`);
    let from = spec.min;
    let to = spec.max;
    if (match[1] !== "*") {
      const [a, b] = match[1]!.split("-");
      from = valueOf(a!, spec, bad);
      // "5/15" means from 5 to the end in steps of 15.
      to = b !== undefined ? valueOf(b, spec, bad) : match[2] !== undefined ? spec.max : from;
      if (from > to) throw bad(`the range "${match[1]}" runs backwards`);
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

function valueOf(token: string, spec: FieldSpec, bad: (why: string) => CronError): number {
  const named = spec.names?.indexOf(token.toLowerCase()) ?? -1;
  if (named >= 0) return named + spec.namesFrom!;
  if (!/^\d+$/.test(token)) throw bad(`"${token}" is not a number`);
  const value = Number(token);
  if (value < spec.min || value > spec.max) throw bad(`${value} is out of range`);
  return value;
}

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
/** A schedule that matches nothing for this long never will (e.g. "0 0 30 2 *"). */
const SEARCH_YEARS = 8;

/** The first time strictly after `after` that `cron` names, or null when it names none. */
export function nextRun(cron: Cron, after: Date): Date | null {
  const unit = cron.seconds ? SECOND_MS : MINUTE_MS;
  let t = Math.floor(after.getTime() / unit) * unit + unit;
  const end = after.getTime() + SEARCH_YEARS * 366 * 24 * HOUR_MS;
  while (t <= end) {
    const d = new Date(t);
    if (!cron.months.has(d.getUTCMonth() + 1)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    } else if (!dayMatches(cron, d)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
    } else if (!cron.hours.has(d.getUTCHours())) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
    } else if (!cron.minutes.has(d.getUTCMinutes())) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes() + 1);
    } else if (cron.seconds && !cron.seconds.has(d.getUTCSeconds())) {
      t += SECOND_MS;
    } else {
      return d;
    }
  }
  return null;
}

function dayMatches(cron: Cron, d: Date): boolean {
  const dom = cron.daysOfMonth.has(d.getUTCDate());
  const dow = cron.daysOfWeek.has(d.getUTCDay());
  return cron.dayOr ? dom || dow : dom && dow;
}

/**
 * The shortest gap between two runs, in seconds, reckoned on the times of day it fires (and
 * from the day's last run to the next day's first): what the operator's minimum interval is
 * checked against. A schedule firing once a day or less reads as one day.
 */
export function shortestIntervalSeconds(cron: Cron): number {
  const seconds = cron.seconds ? [...cron.seconds].sort((a, b) => a - b) : [0];
  const times: number[] = [];
  for (const h of [...cron.hours].sort((a, b) => a - b)) {
    for (const m of [...cron.minutes].sort((a, b) => a - b)) for (const s of seconds) times.push(h * 3600 + m * 60 + s);
  }
  let shortest = times[0]! + 86_400 - times.at(-1)!;
  for (let i = 1; i < times.length; i++) shortest = Math.min(shortest, times[i]! - times[i - 1]!);
  return shortest;
}
