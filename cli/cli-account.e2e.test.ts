// Getting in without a browser, against the real platform (console + gateway like `npm start`, a
// fresh database on the real PostgreSQL), with the CLI run as a child process as a user runs it:
// `signup` then `apps`; `login --email` on a terminal (no echo) and from a pipe; a wrong password
// refused, audited, and counted towards the same back-off as the console's sign-in form; sign-ups
// limited per address by the operator's sliding window, shared with the console.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIGN_IN_BACKOFF } from "@/lib/auth/verify-credentials";
import { newTestAccount, type TestAccount } from "@/lib/testing/console-client";
import { startPlatform, type Platform } from "@/lib/testing/platform";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";

const ROOT = path.resolve(import.meta.dirname, "..");
const BIN = path.join(ROOT, "cli", "bin.mjs");
const SIGNUP_LIMIT = 5;
/** What the console sees as these requests' client address (no proxy in front). */
const ADDRESS = "127.0.0.1";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe("wasmcompute signup and login --email end to end (real console and PostgreSQL)", { timeout: 180_000 }, () => {
  let platform: Platform;
  let database: TestDatabase;
  let tmp: string;
  let env: NodeJS.ProcessEnv;

  /** Runs the CLI as a child process with `stdin` piped in; never throws on a non-zero exit. */
  function cli(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], { cwd: tmp, env: { ...env, ...options.env }, stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(options.stdin ?? "");
    });
  }

  async function ok(args: string[], options?: { stdin?: string; env?: Record<string, string> }): Promise<Run> {
    const r = await cli(args, options);
    if (r.code !== 0) throw new Error(`wasmcompute ${args.join(" ")} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r;
  }

  /** A sign-in through the console's own form (next-auth), as a browser makes it; true when it got a session. */
  async function consoleSignIn(email: string, password: string): Promise<boolean> {
    const csrf = await fetch(`${platform.consoleUrl}/api/auth/csrf`);
    const cookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const res = await fetch(`${platform.consoleUrl}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
      redirect: "manual",
    });
    await res.text();
    return res.headers.getSetCookie().some((c) => /next-auth\.session-token=[^;]/.test(c));
  }

  async function auditOf(tenant: string) {
    const rows = await database.db.auditEvent.findMany({ where: { tenant: { name: tenant } }, orderBy: { id: "asc" } });
    return rows.map((r) => ({ action: r.action, actor: r.actor, ip: r.ip, detail: r.detail }));
  }

  const signUpsCounted = async () =>
    (await database.db.rateLimitWindow.aggregate({ where: { key: `sign-up:addr:${ADDRESS}` }, _sum: { count: true } }))._sum.count ?? 0;

  const signupArgs = (a: TestAccount) => ["signup", "--url", platform.consoleUrl, "--email", a.email, "--tenant", a.tenant];

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "wc-cli-account-"));
    database = await createTestDatabase("postgres");
    platform = await startPlatform({ dataDir: path.join(tmp, "data"), databaseUrl: database.url, env: { SIGNUP_RATE_LIMIT: String(SIGNUP_LIMIT), SIGNUP_RATE_WINDOW_SECONDS: "3600" } });
    env = { ...process.env, HOME: tmp, WASMCOMPUTE_CONFIG: path.join(tmp, "config", "wasmcompute.json") };
    for (const name of ["WASMCOMPUTE_URL", "WASMCOMPUTE_TOKEN", "WASMCOMPUTE_PASSWORD", "XDG_CONFIG_HOME"]) delete env[name];
  }, 300_000);

  afterAll(async () => {
    await platform?.stop();
    await database?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("signs up with the password on stdin, then the saved login works: apps, new, tokens", async () => {
    const account = newTestAccount();
    const signedUp = await ok(signupArgs(account), { stdin: `${account.password}\n` });
    expect(signedUp.stderr).toBe(`Created tenant ${account.tenant} for ${account.email}.\n`);
    expect(signedUp.stdout).toMatch(new RegExp(`^Logged in to ${platform.consoleUrl.replace(/\./g, "\\.")} as ${account.email} \\(tenant ${account.tenant}, role owner, 0 apps\\)\\.\n`));

    expect((await ok(["apps"])).stdout).toBe("No apps yet. Create one with `wasmcompute new <app>`.\n");
    await ok(["new", "first", "--dir", path.join(tmp, "first")]);
    expect(JSON.parse((await ok(["apps", "--json"])).stdout).apps.map((a: { name: string }) => a.name)).toEqual(["first"]);
    // The token the console made: with the owner's scope (the role's), named after this machine.
    const tokens = JSON.parse((await ok(["tokens", "--json"])).stdout).tokens;
    expect(tokens).toEqual([expect.objectContaining({ name: `cli on ${os.hostname()}`.slice(0, 60), scope: "owner", revokedAt: null })]);

    expect(await auditOf(account.tenant)).toEqual([
      { action: "auth.sign_up", actor: account.email, ip: ADDRESS, detail: null },
      { action: "auth.sign_in", actor: account.email, ip: ADDRESS, detail: { via: "api" } },
      { action: "token.created", actor: account.email, ip: ADDRESS, detail: { name: tokens[0].name, scope: "owner", expiresAt: null } },
      { action: "app.created", actor: `token:${tokens[0].prefix}`, ip: ADDRESS, detail: null },
    ]);
  });

  it("asks for the password on a terminal without echoing it", async () => {
    const account = newTestAccount();
    await ok(signupArgs(account), { env: { WASMCOMPUTE_PASSWORD: account.password, WASMCOMPUTE_CONFIG: path.join(tmp, "tty-signup.json") } });
    // script(1) runs the CLI on a pseudo-terminal; the password is typed once the prompt shows.
    const command = [process.execPath, BIN, "login", "--url", platform.consoleUrl, "--email", account.email].map((a) => `'${a}'`).join(" ");
    const child = spawn("script", ["-qfec", command, "/dev/null"], { cwd: tmp, env, stdio: ["pipe", "pipe", "pipe"] });
    let screen = "";
    let typed = false;
    child.stdout.on("data", (d) => {
      screen += d;
      if (!typed && screen.includes("Password: ")) {
        typed = true;
        child.stdin.write(`${account.password}\r`);
      }
    });
    child.stderr.on("data", (d) => (screen += d));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect({ code, screen }).toEqual({ code: 0, screen: expect.stringMatching(/^Password: \r?\nLogged in to .* as .*\(tenant /) });
    expect(screen).not.toContain(account.password);
  });

  it("refuses a wrong password with a clear message (exit 3), audits it, and counts it towards the console's back-off", async () => {
    const account = newTestAccount();
    await ok(signupArgs(account), { env: { WASMCOMPUTE_PASSWORD: account.password, WASMCOMPUTE_CONFIG: path.join(tmp, "lockout-signup.json") } });
    const login = ["login", "--url", platform.consoleUrl, "--email", account.email];
    const failures = async () => (await database.db.signInThrottle.findUnique({ where: { email_address: { email: account.email, address: ADDRESS } }, select: { failures: true } }))?.failures;

    const wrong = await cli(login, { stdin: "not-the-password-1\n" });
    expect(wrong).toEqual({ code: 3, stdout: "", stderr: `error: The console at ${platform.consoleUrl} refused the sign-in: Wrong email or password.\n` });
    expect(await failures()).toBe(1);
    expect((await auditOf(account.tenant)).at(-1)).toEqual({ action: "auth.sign_in_failed", actor: account.email, ip: ADDRESS, detail: { via: "api" } });

    // The console's form adds to the same count (of this email from this address), up to one short of a wait…
    for (let i = 2; i < SIGN_IN_BACKOFF.freeFailures; i++) expect(await consoleSignIn(account.email, "not-the-password-1")).toBe(false);
    expect(await failures()).toBe(SIGN_IN_BACKOFF.freeFailures - 1);
    // …and the CLI's next wrong password makes this address wait.
    const locking = await cli(login, { env: { WASMCOMPUTE_PASSWORD: "not-the-password-1" } });
    expect(locking.code).toBe(3);
    expect(locking.stderr).toMatch(/refused the sign-in: Too many failed sign-ins for this email from your address\. Try again after \d\d:\d\d UTC \(in 1 minute\)/);
    expect((await auditOf(account.tenant)).at(-1)).toMatchObject({ action: "auth.locked", ip: ADDRESS, detail: { via: "api", failures: SIGN_IN_BACKOFF.freeFailures, seconds: 60 } });

    // Waiting, for both ways in, the right password included.
    expect(await consoleSignIn(account.email, account.password)).toBe(false);
    const locked = await cli(login, { stdin: `${account.password}\n`, env: { WASMCOMPUTE_CONFIG: path.join(tmp, "locked.json") } });
    expect(locked.code).toBe(1);
    expect(locked.stderr).toMatch(/refused the sign-in: Too many failed sign-ins .*\(retry after \d+s\)\n$/);
    expect(await database.db.apiToken.count({ where: { tenant: { name: account.tenant } } })).toBe(1); // the signup's only
  });

  it("limits sign-ups per address with the operator's sliding window, for the CLI and the console alike", async () => {
    // Earlier tests signed up from this address too: fill what is left of the window.
    const used = await signUpsCounted();
    expect(used).toBeLessThan(SIGNUP_LIMIT);
    for (let i = used; i < SIGNUP_LIMIT; i++) {
      const a = newTestAccount();
      await ok(signupArgs(a), { env: { WASMCOMPUTE_PASSWORD: a.password, WASMCOMPUTE_CONFIG: path.join(tmp, `fill-${i}.json`) } });
    }
    const refusedAccount = newTestAccount();
    const refused = await cli(signupArgs(refusedAccount), { stdin: `${refusedAccount.password}\n` });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: Too many sign-ups from this address\. Wait \d+ minutes and try again\. \(retry after (3[0-5]\d\d|3600)s\)\n$/);
    expect(await database.db.user.count({ where: { email: refusedAccount.email } })).toBe(0);
    // The console's sign-up endpoint answers the same: one limit per address, 429 with Retry-After.
    const viaConsole = await fetch(`${platform.consoleUrl}/api/v1/signup`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(newTestAccount()) });
    expect(viaConsole.status).toBe(429);
    expect(Number(viaConsole.headers.get("retry-after"))).toBeGreaterThan(3000);
    // Refusals are not counted, and neither is input that does not validate (checked first, 422).
    const invalid = await cli(signupArgs({ ...newTestAccount(), tenant: "No Spaces" }), { stdin: "long-enough-pass-1\n" });
    expect(invalid.code).toBe(6);
    expect(invalid.stderr).toMatch(/^error: tenant: /);
    expect(await signUpsCounted()).toBe(SIGNUP_LIMIT);

    // The window slides: once the oldest sign-up is an hour old (moved back in the database rather
    // than waited for), exactly one more fits, not a whole new window's worth.
    const oldest = await database.db.rateLimitWindow.findFirstOrThrow({ where: { key: `sign-up:addr:${ADDRESS}` }, orderBy: { windowStart: "asc" } });
    await database.db.rateLimitWindow.update({
      where: { key_windowStart: { key: oldest.key, windowStart: oldest.windowStart } },
      data: { windowStart: new Date(Date.now() - 3601 * 1000) },
    });
    const next = newTestAccount();
    await ok(signupArgs(next), { env: { WASMCOMPUTE_PASSWORD: next.password, WASMCOMPUTE_CONFIG: path.join(tmp, "after-slide.json") } });
    const again = newTestAccount();
    expect((await cli(signupArgs(again), { env: { WASMCOMPUTE_PASSWORD: again.password } })).code).toBe(1);
  });
});
