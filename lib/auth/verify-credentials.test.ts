// Account lockout against a real PostgreSQL: ten consecutive failures lock an account for fifteen
// minutes, a success resets the count, and an unknown email is answered the same way.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { newTestAccount } from "@/lib/testing/console-client";
import { signUp } from "@/lib/tenants/sign-up";
import { AppError } from "@/lib/errors";
import { LOCKOUT, WRONG_CREDENTIALS, verifyCredentials } from "./verify-credentials";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase("postgres");
}, 60_000);
afterAll(() => database?.close());

const minutes = (base: Date, n: number) => new Date(base.getTime() + n * 60_000);

async function attempt(email: string, password: string, now: Date, address = "10.0.0.1") {
  try {
    return { ok: true as const, user: await verifyCredentials({ email, password }, address, now) };
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return { ok: false as const, message: e.message, code: e.code };
  }
}

async function actions(tenantId: string) {
  const rows = await database.db.auditEvent.findMany({ where: { tenantId }, orderBy: { id: "asc" } });
  return rows.map((r) => r.action);
}

describe("account lockout", () => {
  it("locks after ten consecutive failures, says until when, and unlocks after fifteen minutes", async () => {
    const account = newTestAccount();
    const { tenantId } = await signUp(account);
    const start = new Date("2030-01-01T10:00:00Z");
    for (let i = 1; i < LOCKOUT.failures; i++) {
      expect(await attempt(account.email, "wrong-password-1", start)).toMatchObject({ ok: false, message: WRONG_CREDENTIALS });
    }
    const tenth = await attempt(account.email, "wrong-password-1", start);
    expect(tenth).toMatchObject({ ok: false, message: expect.stringContaining("locked") });
    expect(tenth.ok ? "" : tenth.message).toContain("10:15 UTC");

    // The right password does not get in while locked, and the answer names the unlock time.
    const locked = await attempt(account.email, account.password, minutes(start, 5));
    expect(locked).toMatchObject({ ok: false, code: "RATE_LIMITED", message: expect.stringContaining("10:15 UTC (in 10 minutes)") });

    const after = await attempt(account.email, account.password, minutes(start, 16));
    expect(after.ok).toBe(true);
    const user = await database.db.user.findUniqueOrThrow({ where: { email: account.email } });
    expect(user).toMatchObject({ failedSignIns: 0, lockedUntil: null });

    const log = await actions(tenantId);
    expect(log.filter((a) => a === "auth.sign_in_failed")).toHaveLength(LOCKOUT.failures);
    expect(log.filter((a) => a === "auth.locked")).toHaveLength(1);
    expect(log.at(-1)).toBe("auth.sign_in");
    const lockedEvent = await database.db.auditEvent.findFirstOrThrow({ where: { tenantId, action: "auth.locked" } });
    expect(lockedEvent).toMatchObject({ actor: account.email, target: `user:${account.email}`, ip: "10.0.0.1" });
  }, 60_000);

  it("a success resets the count of consecutive failures", async () => {
    const account = newTestAccount();
    await signUp(account);
    const start = new Date("2030-01-02T10:00:00Z");
    for (let i = 0; i < LOCKOUT.failures - 1; i++) await attempt(account.email, "wrong-password-1", minutes(start, i * 2));
    // Move to the next rate-limit window before going on.
    const later = minutes(start, 30);
    expect((await attempt(account.email, account.password, later)).ok).toBe(true);
    for (let i = 0; i < LOCKOUT.failures - 1; i++) {
      expect(await attempt(account.email, "wrong-password-1", minutes(later, 16))).toMatchObject({ message: WRONG_CREDENTIALS });
    }
    expect((await database.db.user.findUniqueOrThrow({ where: { email: account.email } })).lockedUntil).toBeNull();
  }, 60_000);

  it("an unknown email gets the same answers, lockout included", async () => {
    const email = newTestAccount().email;
    const start = new Date("2030-01-03T10:00:00Z");
    const answers: string[] = [];
    for (let i = 0; i < LOCKOUT.failures; i++) {
      const a = await attempt(email, "wrong-password-1", start);
      answers.push(a.ok ? "signed in" : a.message);
    }
    expect(answers.slice(0, -1).every((m) => m === WRONG_CREDENTIALS)).toBe(true);
    expect(answers.at(-1)).toContain("locked");
    expect(answers.at(-1)).toContain("10:15 UTC");
    expect(await attempt(email, "wrong-password-1", minutes(start, 5))).toMatchObject({ code: "RATE_LIMITED", message: expect.stringContaining("10:15 UTC (in 10 minutes)") });
    expect(await attempt(email, "wrong-password-1", minutes(start, 16))).toMatchObject({ code: "UNAUTHORIZED", message: WRONG_CREDENTIALS });
  }, 60_000);
});
