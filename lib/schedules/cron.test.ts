import { describe, expect, it } from "vitest";
import { cronProblem, nextRun, parseCron, shortestIntervalSeconds } from "@/lib/manifest/cron";
import { readSchedule, scheduleKey, scheduleProblems } from "./schedule-rules";
import { planRuns } from "./plan-runs";
import { parseManifest } from "@/lib/manifest/parse-manifest";

const at = (iso: string) => new Date(iso);
const next = (cron: string, after: string, allowSeconds = false) => nextRun(parseCron(cron, { allowSeconds }), at(after))?.toISOString() ?? null;

describe("cron", () => {
  it("finds the next run in UTC for the usual forms", () => {
    expect(next("*/5 * * * *", "2026-12-04T12:03:10Z")).toBe("2026-12-04T12:05:00.000Z");
    expect(next("*/5 * * * *", "2026-12-04T12:05:00Z")).toBe("2026-12-04T12:10:00.000Z");
    expect(next("0 3 * * *", "2026-12-04T03:00:00Z")).toBe("2026-12-05T03:00:00.000Z");
    expect(next("30 9 * * mon-fri", "2026-12-04T10:00:00Z")).toBe("2026-12-07T09:30:00.000Z"); // Friday → Monday
    expect(next("0 0 1 jan *", "2026-12-04T00:00:00Z")).toBe("2027-01-01T00:00:00.000Z");
    expect(next("@hourly", "2026-12-04T23:59:00Z")).toBe("2026-12-05T00:00:00.000Z");
    expect(next("0 12 * * 7", "2026-12-04T00:00:00Z")).toBe("2026-12-06T12:00:00.000Z"); // 7 is Sunday
    expect(next("0 0 29 2 *", "2026-03-01T00:00:00Z")).toBe("2028-02-29T00:00:00.000Z");
    expect(next("5/20 * * * *", "2026-12-04T12:06:00Z")).toBe("2026-12-04T12:25:00.000Z");
    expect(next("0,30 8-9 * * *", "2026-12-04T08:31:00Z")).toBe("2026-12-04T09:00:00.000Z");
  });

  it("matches either day field when both are restricted, as cron does", () => {
    // The 13th, or any Friday: 2026-12-04 is a Friday.
    expect(next("0 0 13 * fri", "2026-12-04T00:00:00Z")).toBe("2026-12-11T00:00:00.000Z");
    expect(next("0 0 13 * fri", "2026-12-11T00:00:00Z")).toBe("2026-12-13T00:00:00.000Z");
  });

  it("names nothing for a day that never comes", () => {
    expect(next("0 0 30 2 *", "2026-01-01T00:00:00Z")).toBeNull();
  });

  it("takes a seconds field only when allowed (tests)", () => {
    expect(cronProblem("* * * * * *")).toMatch(/has 6 fields; a schedule takes 5/);
    expect(next("*/2 * * * * *", "2026-12-04T12:00:01.500Z", true)).toBe("2026-12-04T12:00:02.000Z");
  });

  it("says which field is wrong", () => {
    expect(cronProblem("61 * * * *")).toMatch(/^minute "61": 61 is out of range/);
    expect(cronProblem("* 5-2 * * *")).toMatch(/^hour "5-2": the range "5-2" runs backwards/);
    expect(cronProblem("* * * foo *")).toMatch(/^month "foo": "foo" is not a number/);
    expect(cronProblem("* * * * * /0")).toMatch(/6 fields/);
    expect(cronProblem("*/0 * * * *")).toMatch(/^minute "\*\/0": the step/);
    expect(cronProblem("every minute")).toMatch(/has 2 fields/);
  });

  it("reckons the shortest interval from the times of day", () => {
    expect(shortestIntervalSeconds(parseCron("*/5 * * * *"))).toBe(300);
    expect(shortestIntervalSeconds(parseCron("0,1 * * * *"))).toBe(60);
    expect(shortestIntervalSeconds(parseCron("0 3 * * *"))).toBe(86_400);
    expect(shortestIntervalSeconds(parseCron("0 23 * * *"))).toBe(86_400);
    expect(shortestIntervalSeconds(parseCron("0 0,23 * * *"))).toBe(3600);
  });
});

describe("schedule rules", () => {
  const rules = { minIntervalMinutes: 5, allowSeconds: false };
  it("refuses a schedule more frequent than the operator allows, naming the entry and the setting", () => {
    const problems = scheduleProblems([{ cron: "*/10 * * * *", path: "/a", method: "POST" }, { cron: "* * * * *", path: "/b", method: "POST" }], rules);
    expect(problems).toEqual([expect.stringMatching(/^wasmcompute\.yaml: schedules\[1\]\.cron: "\* \* \* \* \*" may run every minute.*SCHEDULE_MIN_INTERVAL_MINUTES/)]);
  });

  it("refuses seconds outside tests and lets them through in tests", () => {
    expect(readSchedule({ cron: "* * * * * *", path: "/", method: "POST" }, 0, rules)).toEqual({ problem: expect.stringMatching(/^wasmcompute\.yaml: schedules\[0\]\.cron: .*6 fields/) });
    expect(readSchedule({ cron: "* * * * * *", path: "/", method: "POST" }, 0, { ...rules, allowSeconds: true })).toHaveProperty("cron");
  });

  it("names a schedule by method, path and cron, spacing aside", () => {
    expect(scheduleKey({ cron: " */5  * * * * ", path: "/t", method: "POST" })).toBe("POST /t */5 * * * *");
  });
});

describe("schedules in wasmcompute.yaml", () => {
  it("reads them with POST by default", () => {
    const m = parseManifest("schedules:\n  - cron: '*/5 * * * *'\n    path: /tasks/cleanup\n");
    expect(m.schedules).toEqual([{ cron: "*/5 * * * *", path: "/tasks/cleanup", method: "POST" }]);
  });

  it("names the field of a bad entry", () => {
    expect(() => parseManifest("schedules:\n  - cron: '70 * * * *'\n    path: /x\n")).toThrow(/schedules\[0\]\.cron: minute "70": 70 is out of range/);
    expect(() => parseManifest("schedules:\n  - cron: '* * * * *'\n    path: x\n")).toThrow(/schedules\[0\]\.path: must start with "\/"/);
    expect(() => parseManifest("schedules:\n  - cron: '* * * * *'\n    path: /x\n    method: TRACE\n")).toThrow(/schedules\[0\]\.method: must be GET, POST/);
    expect(() => parseManifest("schedules:\n  - cron: '* * * * *'\n    path: /x\n    every: 5\n")).toThrow(/schedules\[0\]/);
  });
});

describe("planRuns", () => {
  const every5 = parseCron("*/5 * * * *");
  it("runs the slot that just came, nothing else", () => {
    expect(planRuns(every5, at("2026-12-04T12:00:00Z"), at("2026-12-04T12:05:02Z"))).toEqual({ missed: null, due: [at("2026-12-04T12:05:00Z")] });
    expect(planRuns(every5, at("2026-12-04T12:05:00Z"), at("2026-12-04T12:09:59Z"))).toEqual({ missed: null, due: [] });
  });

  it("records the slots that passed while nothing ran as missed, and runs only those within the grace", () => {
    // Down from 12:00 to 13:00:30: 12:05 … 13:00 are 12 slots; 13:00 is 30 s late (within 60 s).
    const plan = planRuns(every5, at("2026-12-04T12:00:00Z"), at("2026-12-04T13:00:30Z"));
    expect(plan.due).toEqual([at("2026-12-04T13:00:00Z")]);
    expect(plan.missed).toEqual({ first: at("2026-12-04T12:05:00Z"), last: at("2026-12-04T12:55:00Z"), count: 11 });
  });

  it("runs every slot of a fast (test) schedule still within the grace", () => {
    const everySecond = parseCron("* * * * * *", { allowSeconds: true });
    const plan = planRuns(everySecond, at("2026-12-04T12:00:00Z"), at("2026-12-04T12:00:03.5Z"), 2000);
    expect(plan.missed).toEqual({ first: at("2026-12-04T12:00:01Z"), last: at("2026-12-04T12:00:01Z"), count: 1 });
    expect(plan.due).toEqual([at("2026-12-04T12:00:02Z"), at("2026-12-04T12:00:03Z")]);
  });
});
