// Email + password for an API token against a real PostgreSQL: the token it makes, and that it is
// the console's sign-in in every other way (the same failure count, back-off and audit log).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { SIGN_IN_BACKOFF, WRONG_CREDENTIALS, verifyCredentials } from "@/lib/auth/verify-credentials";
import { AppError } from "@/lib/errors";
import { newTestAccount } from "@/lib/testing/console-client";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { signUp } from "@/lib/tenants/sign-up";
import { createTokenWithPassword } from "./create-token-with-password";
import { authenticateToken } from "./tokens";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase("postgres");
}, 60_000);
afterAll(() => database?.close());

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a failure");
}

const events = async (tenantId: string) =>
  (await database.db.auditEvent.findMany({ where: { tenantId }, orderBy: { id: "asc" } })).map((e) => ({ action: e.action, actor: e.actor, target: e.target, ip: e.ip, detail: e.detail }));

describe("createTokenWithPassword", () => {
  it("makes a token of the user's tenant with their role's scope (the owner's here), named as asked, and audits the sign-in and the token", async () => {
    const account = newTestAccount();
    const { tenantId } = await signUp(account);
    const login = await createTokenWithPassword({ input: { email: account.email.toUpperCase(), password: account.password, name: "cli on build-box" }, ip: "192.0.2.10" });
    expect(login).toMatchObject({ tenant: account.tenant, email: account.email, token: { name: "cli on build-box", scope: "owner", revokedAt: null } });
    expect(login.secret).toMatch(/^wc_[A-Za-z0-9_-]{43}$/);
    expect(await authenticateToken(login.secret)).toMatchObject({ tenantId, tenantName: account.tenant, scope: "owner", role: "owner", tokenId: login.token.id });

    const log = await events(tenantId);
    expect(log.slice(1)).toEqual([
      { action: "auth.sign_in", actor: account.email, target: `user:${account.email}`, ip: "192.0.2.10", detail: { via: "api" } },
      { action: "token.created", actor: account.email, target: `token:${login.token.prefix}`, ip: "192.0.2.10", detail: { name: "cli on build-box", scope: "owner", expiresAt: null } },
    ]);

    const reader = await createTokenWithPassword({ input: { email: account.email, password: account.password, scope: "read" }, ip: "192.0.2.10" });
    expect(reader.token).toMatchObject({ name: "API login", scope: "read" });
  }, 60_000);

  it("refuses a bad scope or name (422) before checking the password", async () => {
    const account = newTestAccount();
    await signUp(account);
    for (const input of [
      { email: account.email, password: "wrong-password-1", scope: "root" },
      { email: account.email, password: "wrong-password-1", name: "   " },
      { email: "not-an-email", password: "x" },
    ]) {
      expect(await failure(createTokenWithPassword({ input, ip: "192.0.2.11" }))).toBeInstanceOf(z.ZodError);
    }
    expect(await database.db.signInThrottle.count({ where: { email: account.email } })).toBe(0);
  }, 60_000);

  it("counts a wrong password like the console's form: the same failures from one address make it wait, whichever way they came", async () => {
    const account = newTestAccount();
    const { tenantId } = await signUp(account);
    const start = new Date("2031-01-01T10:00:00Z");
    const address = "192.0.2.12";
    const viaApi = (password: string, now = start, ip = address) => createTokenWithPassword({ input: { email: account.email, password }, ip, now });
    const failures = async () => (await database.db.signInThrottle.findUnique({ where: { email_address: { email: account.email, address } } }))?.failures;

    const wrong = await failure(viaApi("wrong-password-1"));
    expect(wrong).toMatchObject({ code: "UNAUTHORIZED", message: WRONG_CREDENTIALS });
    expect(await failures()).toBe(1);
    // The console's form adds to the same count…
    for (let i = 2; i < SIGN_IN_BACKOFF.freeFailures; i++) {
      await expect(verifyCredentials({ email: account.email, password: "wrong-password-1" }, address, start)).rejects.toThrow(WRONG_CREDENTIALS);
    }
    expect(await failures()).toBe(SIGN_IN_BACKOFF.freeFailures - 1);
    // …and the API's next failure makes this address wait.
    const last = await failure(viaApi("wrong-password-1"));
    expect(last).toBeInstanceOf(AppError);
    expect((last as AppError).message).toMatch(/^Too many failed sign-ins for this email from your address\. Try again after 10:01 UTC \(in 1 minute\)/);
    // Waiting: the right password gets no token from this address either, and says until when…
    const waiting = await failure(viaApi(account.password, new Date("2031-01-01T10:00:30Z")));
    expect(waiting).toMatchObject({ code: "RATE_LIMITED", message: expect.stringContaining("10:01 UTC (in 1 minute)") });
    expect(await database.db.apiToken.count({ where: { tenantId } })).toBe(0);
    // …while from another address it does, at once.
    expect((await viaApi(account.password, new Date("2031-01-01T10:00:30Z"), "198.51.100.12")).token.scope).toBe("owner");

    const log = await events(tenantId);
    expect(log.filter((e) => e.action === "auth.sign_in_failed").map((e) => e.detail)).toEqual([{ via: "api" }, ...Array(SIGN_IN_BACKOFF.freeFailures - 2).fill(null), { via: "api" }]);
    expect(log.find((e) => e.action === "auth.locked")).toMatchObject({ ip: address, detail: { failures: SIGN_IN_BACKOFF.freeFailures, seconds: 60, via: "api" } });

    // After the wait, a token from the first address again.
    expect((await viaApi(account.password, new Date("2031-01-01T10:01:00Z"))).token.scope).toBe("owner");
    expect(await failures()).toBe(0);
  }, 60_000);
});
