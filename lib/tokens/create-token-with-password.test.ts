// Email + password for an API token against a real PostgreSQL: the token it makes, and that it is
// the console's sign-in in every other way (the same failure count, lockout and audit log).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { LOCKOUT, WRONG_CREDENTIALS, verifyCredentials } from "@/lib/auth/verify-credentials";
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
  it("makes an admin token of the user's tenant, named as asked, and audits the sign-in and the token", async () => {
    const account = newTestAccount();
    const { tenantId } = await signUp(account);
    const login = await createTokenWithPassword({ input: { email: account.email.toUpperCase(), password: account.password, name: "cli on build-box" }, ip: "192.0.2.10" });
    expect(login).toMatchObject({ tenant: account.tenant, email: account.email, token: { name: "cli on build-box", scope: "admin", revokedAt: null } });
    expect(login.secret).toMatch(/^wc_[A-Za-z0-9_-]{43}$/);
    expect(await authenticateToken(login.secret)).toMatchObject({ tenantId, tenantName: account.tenant, scope: "admin", tokenId: login.token.id });

    const log = await events(tenantId);
    expect(log.slice(1)).toEqual([
      { action: "auth.sign_in", actor: account.email, target: `user:${account.email}`, ip: "192.0.2.10", detail: { via: "api" } },
      { action: "token.created", actor: account.email, target: `token:${login.token.prefix}`, ip: "192.0.2.10", detail: { name: "cli on build-box", scope: "admin" } },
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
    expect((await database.db.user.findUniqueOrThrow({ where: { email: account.email } })).failedSignIns).toBe(0);
  }, 60_000);

  it("counts a wrong password like the console's form: the same failures lock the account, whichever way they came", async () => {
    const account = newTestAccount();
    const { tenantId } = await signUp(account);
    const start = new Date("2031-01-01T10:00:00Z");
    const viaApi = (password: string, now = start) => createTokenWithPassword({ input: { email: account.email, password }, ip: "192.0.2.12", now });

    const wrong = await failure(viaApi("wrong-password-1"));
    expect(wrong).toMatchObject({ code: "UNAUTHORIZED", message: WRONG_CREDENTIALS });
    expect((await database.db.user.findUniqueOrThrow({ where: { email: account.email } })).failedSignIns).toBe(1);
    // The console's form adds to the same count…
    for (let i = 2; i < LOCKOUT.failures; i++) {
      await expect(verifyCredentials({ email: account.email, password: "wrong-password-1" }, "192.0.2.12", start)).rejects.toThrow(WRONG_CREDENTIALS);
    }
    // …and the API's tenth failure locks the account.
    const tenth = await failure(viaApi("wrong-password-1"));
    expect(tenth).toBeInstanceOf(AppError);
    expect((tenth as AppError).message).toMatch(/locked after 10 failed sign-ins\. Try again after 10:15 UTC/);
    // Locked: the right password gets no token either, and says until when.
    const locked = await failure(viaApi(account.password, new Date("2031-01-01T10:05:00Z")));
    expect(locked).toMatchObject({ code: "RATE_LIMITED", message: expect.stringContaining("10:15 UTC (in 10 minutes)") });
    expect(await database.db.apiToken.count({ where: { tenantId } })).toBe(0);

    const log = await events(tenantId);
    expect(log.filter((e) => e.action === "auth.sign_in_failed").map((e) => e.detail)).toEqual([{ via: "api" }, ...Array(LOCKOUT.failures - 2).fill(null), { via: "api" }]);
    expect(log.find((e) => e.action === "auth.locked")).toMatchObject({ ip: "192.0.2.12", detail: { failures: LOCKOUT.failures, via: "api" } });

    // After the lock, a token again.
    expect((await viaApi(account.password, new Date("2031-01-01T10:16:00Z"))).token.scope).toBe("admin");
  }, 60_000);
});
