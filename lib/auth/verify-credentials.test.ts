// Failed sign-ins against a real PostgreSQL (issue #13 item 14): they slow down the address that
// fails, with a wait that doubles, never the account's owner at another address; an unknown email
// is answered the same way; and many addresses failing at one account leave only the addresses it
// knows able to try.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { newTestAccount } from "@/lib/testing/console-client";
import { signUp } from "@/lib/tenants/sign-up";
import { AppError } from "@/lib/errors";
import { ACCOUNT_FAILURES, SIGN_IN_BACKOFF, WRONG_CREDENTIALS, backoffSeconds, verifyCredentials } from "./verify-credentials";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase("postgres");
}, 60_000);
afterAll(() => database?.close());

const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);
const FREE = SIGN_IN_BACKOFF.freeFailures;

async function attempt(email: string, password: string, now: Date, address = "10.0.0.1") {
  try {
    return { ok: true as const, user: await verifyCredentials({ email, password }, address, now) };
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return { ok: false as const, message: e.message, code: e.code, retryAfterSeconds: e.details?.retryAfterSeconds };
  }
}

async function actions(tenantId: string) {
  const rows = await database.db.auditEvent.findMany({ where: { tenantId }, orderBy: { id: "asc" } });
  return rows.map((r) => r.action);
}

describe("back-off per (account, client address)", () => {
  it("the wait doubles with each failure: 1, 2, 4 … minutes, up to an hour", () => {
    expect(Array.from({ length: FREE - 1 }, (_, i) => backoffSeconds(i + 1))).toEqual(Array(FREE - 1).fill(0));
    expect([FREE, FREE + 1, FREE + 2, FREE + 3, FREE + 6, FREE + 7, FREE + 100].map(backoffSeconds)).toEqual([60, 120, 240, 480, 3600, 3600, 3600]);
  });

  it("locks out the failing address, with a growing wait, while another address signs in with the right password", async () => {
    const account = newTestAccount();
    const { tenantId } = await signUp(account);
    const attacker = "203.0.113.66";
    const owner = "198.51.100.20";
    let now = new Date("2030-01-01T10:00:00Z");
    for (let i = 1; i < FREE; i++) {
      expect(await attempt(account.email, "wrong-password-1", now, attacker)).toMatchObject({ ok: false, code: "UNAUTHORIZED", message: WRONG_CREDENTIALS });
    }
    // The fifth failure in a row: this address waits a minute, and is told until when.
    const fifth = await attempt(account.email, "wrong-password-1", now, attacker);
    expect(fifth).toMatchObject({ ok: false, code: "UNAUTHORIZED", message: expect.stringContaining("Try again after 10:01 UTC (in 1 minute)") });

    // Waiting: even the right password from that address is refused (429, Retry-After)…
    const waiting = await attempt(account.email, account.password, at(now, 30), attacker);
    expect(waiting).toMatchObject({ ok: false, code: "RATE_LIMITED", retryAfterSeconds: 30, message: expect.stringContaining("10:01 UTC (in 1 minute)") });
    // …while the owner, from their own address, signs in at once.
    expect((await attempt(account.email, account.password, at(now, 30), owner)).ok).toBe(true);

    // Each further failure from the attacker's address doubles its wait.
    const waits: number[] = [];
    now = at(now, 60);
    for (let i = 0; i < 4; i++) {
      const failed = await attempt(account.email, "wrong-password-1", now, attacker);
      expect(failed).toMatchObject({ ok: false, code: "UNAUTHORIZED", message: expect.stringContaining("doubles the wait") });
      const refused = await attempt(account.email, "wrong-password-1", at(now, 1), attacker);
      expect(refused.code).toBe("RATE_LIMITED");
      waits.push(refused.retryAfterSeconds! + 1);
      now = at(now, refused.retryAfterSeconds! + 1);
    }
    expect(waits).toEqual([120, 240, 480, 960]);
    // The owner was never locked out by any of it.
    expect((await attempt(account.email, account.password, now, owner)).ok).toBe(true);

    // After the wait, the right password from the attacker's address (say, the owner travelling)
    // gets in and clears that address's count.
    expect((await attempt(account.email, account.password, now, attacker)).ok).toBe(true);
    for (let i = 1; i < FREE; i++) expect(await attempt(account.email, "wrong-password-1", now, attacker)).toMatchObject({ message: WRONG_CREDENTIALS });

    const log = await actions(tenantId);
    expect(log.filter((a) => a === "auth.locked")).toHaveLength(5);
    const locked = await database.db.auditEvent.findFirstOrThrow({ where: { tenantId, action: "auth.locked" }, orderBy: { id: "asc" } });
    expect(locked).toMatchObject({ actor: account.email, target: `user:${account.email}`, ip: attacker, detail: { seconds: 60, failures: FREE } });
  }, 60_000);

  it("forgets failures after a quiet day", async () => {
    const account = newTestAccount();
    await signUp(account);
    const start = new Date("2030-01-02T10:00:00Z");
    for (let i = 1; i < FREE; i++) await attempt(account.email, "wrong-password-1", start);
    const nextDay = at(start, SIGN_IN_BACKOFF.forgetAfterSeconds + 1);
    for (let i = 1; i < FREE; i++) expect(await attempt(account.email, "wrong-password-1", nextDay)).toMatchObject({ message: WRONG_CREDENTIALS });
  }, 60_000);

  it("an unknown email gets the same answers, waits included", async () => {
    const email = newTestAccount().email;
    const start = new Date("2030-01-03T10:00:00Z");
    const answers: string[] = [];
    for (let i = 0; i < FREE; i++) {
      const a = await attempt(email, "wrong-password-1", start);
      answers.push(a.ok ? "signed in" : a.message);
    }
    expect(answers.slice(0, -1).every((m) => m === WRONG_CREDENTIALS)).toBe(true);
    expect(answers.at(-1)).toContain("Try again after 10:01 UTC (in 1 minute)");
    expect(await attempt(email, "wrong-password-1", at(start, 30))).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: 30 });
    expect(await attempt(email, "wrong-password-1", at(start, 30), "10.0.0.2")).toMatchObject({ code: "UNAUTHORIZED", message: WRONG_CREDENTIALS });
    expect(await attempt(email, "wrong-password-1", at(start, 61))).toMatchObject({ code: "UNAUTHORIZED", message: expect.stringContaining("in 2 minutes") });
  }, 60_000);

  it("many addresses failing at one account leave only addresses it has signed in from able to try", async () => {
    const account = newTestAccount();
    await signUp(account);
    const start = new Date("2030-01-04T10:00:30Z");
    const home = "198.51.100.77";
    expect((await attempt(account.email, account.password, start, home)).ok).toBe(true);
    // A botnet: a few failures from each of many addresses (never enough to make any one wait).
    for (let i = 0; i < ACCOUNT_FAILURES.limit; i++) {
      expect(await attempt(account.email, "wrong-password-1", start, `203.0.113.${Math.floor(i / 4)}`)).toMatchObject({ message: WRONG_CREDENTIALS });
    }
    // A new address is refused until the window ends, whatever the password; the answer says what to do.
    const fresh = await attempt(account.email, account.password, at(start, 60), "192.0.2.200");
    expect(fresh).toMatchObject({ ok: false, code: "RATE_LIMITED", message: expect.stringContaining("Sign in from a network you have used before") });
    expect(fresh.retryAfterSeconds).toBe(3600 - 90);
    // The owner at home is not.
    expect((await attempt(account.email, account.password, at(start, 60), home)).ok).toBe(true);
    // The next window, new addresses may try again.
    expect((await attempt(account.email, account.password, at(start, 3600), "192.0.2.200")).ok).toBe(true);
    // An unknown email under the same attack answers the same.
    const nobody = newTestAccount().email;
    for (let i = 0; i < ACCOUNT_FAILURES.limit; i++) await attempt(nobody, "wrong-password-1", start, `203.0.113.${Math.floor(i / 4)}`);
    expect(await attempt(nobody, "wrong-password-1", at(start, 60), "192.0.2.200")).toMatchObject({ code: "RATE_LIMITED", message: fresh.ok ? "" : fresh.message });
  }, 120_000);
});
