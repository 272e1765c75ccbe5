// The sliding window's arithmetic and the sign-up limit's settings, without a database: refused
// by `npm start` and by a console process (which needs the console build, as `npm test` makes it).
// The window on real databases is in sliding-rate-limit.suite.ts.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { serverProcessArgs } from "@/lib/testing/platform";
import { decideSlidingWindow } from "./hit-sliding-rate-limit";
import { InvalidSettingError, SIGN_UP_LIMIT_DEFAULTS, signUpLimitFromEnv } from "./sign-up-limit";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const t0 = new Date("2030-01-01T00:00:00Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const hits = (...seconds: number[]) => seconds.map((s) => ({ at: at(s), count: 1 }));

/** Runs node with `args` in the repository, answering its exit code and output. */
function run(args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: typeof error?.code === "number" ? error.code : error ? -1 : 0, output: stdout + stderr }),
    );
  });
}

describe("decideSlidingWindow", () => {
  const rule = { limit: 3, windowSeconds: 100 };

  it("allows up to the limit inside the window, ignoring hits that left it", () => {
    expect(decideSlidingWindow([], rule, at(0))).toEqual({ allowed: true });
    expect(decideSlidingWindow(hits(0, 10), rule, at(20))).toEqual({ allowed: true });
    expect(decideSlidingWindow(hits(0, 10, 20), rule, at(30))).toEqual({ allowed: false, retryAfterSeconds: 70 });
    // At 100 s the hit at 0 s is exactly one window old: out.
    expect(decideSlidingWindow(hits(0, 10, 20), rule, at(100))).toEqual({ allowed: true });
  });

  it("waits for as many of the oldest hits to leave as it takes to fit one more, in any order and with counts", () => {
    // Five in the window against a limit of three (the operator lowered it): three must leave.
    expect(decideSlidingWindow(hits(40, 0, 30, 10, 20), rule, at(50))).toEqual({ allowed: false, retryAfterSeconds: 70 });
    // Two hits in one millisecond at 0 s: when they leave, two slots free at once.
    expect(decideSlidingWindow([{ at: at(0), count: 2 }, { at: at(5), count: 2 }], rule, at(6))).toEqual({ allowed: false, retryAfterSeconds: 94 });
    // Never less than a second, so Retry-After is never 0.
    expect(decideSlidingWindow(hits(0, 1, 2), rule, at(99.9))).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });
});

describe("SIGNUP_RATE_LIMIT and SIGNUP_RATE_WINDOW_SECONDS", () => {
  it("default to 20 an hour; unset or empty means the default", () => {
    expect(SIGN_UP_LIMIT_DEFAULTS).toEqual({ limit: 20, windowSeconds: 3600 });
    expect(signUpLimitFromEnv({})).toEqual({ limit: 20, windowSeconds: 3600 });
    expect(signUpLimitFromEnv({ SIGNUP_RATE_LIMIT: "", SIGNUP_RATE_WINDOW_SECONDS: " " })).toEqual({ limit: 20, windowSeconds: 3600 });
    expect(signUpLimitFromEnv({ SIGNUP_RATE_LIMIT: "5", SIGNUP_RATE_WINDOW_SECONDS: " 600 " })).toEqual({ limit: 5, windowSeconds: 600 });
  });

  it.each([
    [{ SIGNUP_RATE_LIMIT: "abc" }, 'SIGNUP_RATE_LIMIT="abc" must be a whole number of sign-ups'],
    [{ SIGNUP_RATE_LIMIT: "0" }, 'SIGNUP_RATE_LIMIT="0" must be at least 1'],
    [{ SIGNUP_RATE_LIMIT: "2.5" }, 'SIGNUP_RATE_LIMIT="2.5" must be a whole number of sign-ups'],
    [{ SIGNUP_RATE_LIMIT: "-3" }, 'SIGNUP_RATE_LIMIT="-3" must be a whole number of sign-ups'],
    [{ SIGNUP_RATE_LIMIT: "100000" }, 'SIGNUP_RATE_LIMIT="100000" must be at most 10000'],
    [{ SIGNUP_RATE_WINDOW_SECONDS: "1h" }, 'SIGNUP_RATE_WINDOW_SECONDS="1h" must be a whole number of seconds'],
    [{ SIGNUP_RATE_WINDOW_SECONDS: "0" }, 'SIGNUP_RATE_WINDOW_SECONDS="0" must be at least 1'],
    [{ SIGNUP_RATE_WINDOW_SECONDS: "9999999" }, 'SIGNUP_RATE_WINDOW_SECONDS="9999999" must be at most 604800'],
  ])("refuses %j with a message naming the variable, its value and what it takes", (env, message) => {
    let error: unknown;
    try {
      signUpLimitFromEnv(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidSettingError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).toMatch(/SIGNUP_RATE_LIMIT is how many sign-ups one address may make .* unset either to use its default\.$/);
  });

  it("stop a console process started on its own (scripts/console-server.mjs, from the build), with the message", async () => {
    const { code, output } = await run(["scripts/console-server.mjs", "-H", "127.0.0.1", "-p", "0"], { SIGNUP_RATE_LIMIT: "0", NEXTAUTH_SECRET: "test-secret" });
    expect(code).toBe(1);
    expect(output).toContain('[console] Invalid sign-up rate limit: SIGNUP_RATE_LIMIT="0" must be at least 1.');
  });

  it("stop `npm start` before it starts anything, with the message", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "wc-signup-setting-"));
    try {
      const { code, output } = await run(serverProcessArgs("start"), { DATA_DIR: dataDir, PORT: "0", GATEWAY_PORT: "0", SIGNUP_RATE_LIMIT: "twenty" });
      expect(code).toBe(1);
      expect(output).toContain('[wasmcompute] failed to start: Invalid sign-up rate limit: SIGNUP_RATE_LIMIT="twenty" must be a whole number of sign-ups');
      // Refused before the data directory or the embedded database was set up.
      expect(await readdir(dataDir)).toEqual([]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
