// Console sessions end when they should (issue #13 item 12), through the real console on a real
// PostgreSQL: a signed-out cookie is refused even where a copy of it survives, a password change
// ends every other session, "sign out everywhere" ends them all, and a cookie sealed with the
// console's own secret is refused unless it names a session the console started.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { decode, encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleClient, apiWithToken, newTestAccount, type TestAccount } from "@/lib/testing/console-client";
import { startPlatform, type Platform } from "@/lib/testing/platform";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";

let database: TestDatabase;
let platform: Platform;
let dataDir: string;
let secret: string;

beforeAll(async () => {
  database = await createTestDatabase("postgres");
  dataDir = await mkdtemp(path.join(os.tmpdir(), "wc-sessions-"));
  platform = await startPlatform({ dataDir, databaseUrl: database.url });
  secret = process.env.NEXTAUTH_SECRET ?? (await readFile(path.join(dataDir, "auth-secret"), "utf8")).trim();
}, 180_000);

afterAll(async () => {
  await platform?.stop();
  await database?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** A request with nothing but this cookie, as a copy of it elsewhere would make it. */
const withCookie = (cookie: string, pathname = "/api/v1/apps", init: RequestInit = {}) =>
  fetch(`${platform.consoleUrl}${pathname}`, { ...init, headers: { ...(init.headers as Record<string, string>), cookie }, redirect: "manual" });
const status = async (cookie: string) => (await withCookie(cookie)).status;

/** A second browser of the same user. */
async function anotherSession(account: TestAccount): Promise<ConsoleClient> {
  const client = new ConsoleClient(platform.consoleUrl);
  await client.signIn(account);
  return client;
}

const json = (method: string, body: unknown, origin = platform.consoleUrl) => ({
  method,
  headers: { "content-type": "application/json", origin },
  body: JSON.stringify(body),
});

describe("console sessions", () => {
  it("sign-out ends the session: a copy of the old cookie is refused everywhere", async () => {
    const browser = new ConsoleClient(platform.consoleUrl);
    const account = await browser.signUp();
    const cookie = browser.sessionCookie()!;
    expect(await status(cookie)).toBe(200);
    expect((await withCookie(cookie, "/dashboard")).status).toBe(200);

    const out = await browser.signOut();
    expect(out.status).toBe(200);
    expect(browser.sessionCookie()).toBeUndefined();
    // The copy (a stolen cookie, another tab's jar) is refused by the API and the pages…
    const refused = await withCookie(cookie);
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.message).toMatch(/^Sign in to the console/);
    expect((await withCookie(cookie, "/dashboard")).headers.get("location")).toMatch(/\/sign-in\?reason=expired$/);
    // …and next-auth's own session endpoint says "not signed in".
    expect(await (await withCookie(cookie, "/api/auth/session")).json()).toEqual({});
    // The JWT itself has not expired: what ended is the session it names.
    expect(await decode({ token: cookie.slice(cookie.indexOf("=") + 1), secret })).toMatchObject({ email: account.email });

    const user = await database.db.user.findUniqueOrThrow({ where: { email: account.email }, include: { sessions: true } });
    expect(user.sessions).toEqual([]);
    const log = await database.db.auditEvent.findMany({ where: { tenantId: user.tenantId }, orderBy: { id: "asc" } });
    expect(log.map((e) => e.action)).toEqual(["auth.sign_up", "auth.sign_in", "auth.sign_out"]);
  }, 60_000);

  it("each sign-in is a session of its own; signing out one leaves the others", async () => {
    const first = new ConsoleClient(platform.consoleUrl);
    const account = await first.signUp();
    const second = await anotherSession(account);
    expect(first.sessionCookie()).not.toBe(second.sessionCookie());
    await first.signOut();
    expect(await status(second.sessionCookie()!)).toBe(200);
    const rows = await database.db.session.findMany({ where: { user: { email: account.email } } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.expiresAt.getTime() - rows[0]!.createdAt.getTime()).toBe(7 * 24 * 3600 * 1000);
  }, 60_000);

  it("a password change ends every other session and keeps this one", async () => {
    const here = new ConsoleClient(platform.consoleUrl);
    const account = await here.signUp();
    const laptop = await anotherSession(account);
    const phone = await anotherSession(account);
    const newPassword = `new-${account.password}`;

    const wrong = await here.fetch("/api/v1/account/password", json("PUT", { currentPassword: "not-the-password-1", newPassword }));
    expect(wrong.status).toBe(422);
    expect((await wrong.json()).error).toMatchObject({ field: "currentPassword", message: "currentPassword: That is not your current password." });
    const weak = await here.fetch("/api/v1/account/password", json("PUT", { currentPassword: account.password, newPassword: "short" }));
    expect((await weak.json()).error).toMatchObject({ field: "newPassword" });
    // Nothing ended on a refusal.
    expect(await status(laptop.sessionCookie()!)).toBe(200);
    // Not from another site, with the session cookie.
    expect((await here.fetch("/api/v1/account/password", json("PUT", { currentPassword: account.password, newPassword }, "http://evil.example"))).status).toBe(403);

    const changed = await here.fetch("/api/v1/account/password", json("PUT", { currentPassword: account.password, newPassword }));
    expect(changed.status).toBe(200);
    expect(await changed.json()).toEqual({ revokedSessions: 2 });
    expect(await status(laptop.sessionCookie()!)).toBe(401);
    expect(await status(phone.sessionCookie()!)).toBe(401);
    expect(await status(here.sessionCookie()!)).toBe(200);

    // The old password no longer signs in; the new one does.
    await expect(new ConsoleClient(platform.consoleUrl).signIn(account)).rejects.toThrow(/did not set a session cookie/);
    await new ConsoleClient(platform.consoleUrl).signIn({ email: account.email, password: newPassword });
    const tenantId = (await database.db.user.findUniqueOrThrow({ where: { email: account.email } })).tenantId;
    const event = await database.db.auditEvent.findFirstOrThrow({ where: { tenantId, action: "auth.password_changed" } });
    expect(event).toMatchObject({ actor: account.email, target: `user:${account.email}`, detail: { endedSessions: 2 } });
  }, 60_000);

  it("sign out everywhere ends every session of the user, this one included; an admin token can do it for the tenant", async () => {
    const here = new ConsoleClient(platform.consoleUrl);
    const account = await here.signUp();
    const elsewhere = await anotherSession(account);
    const token = await here.createToken("admin", "ops");
    const reader = await here.createToken("read", "dashboards");

    // Not from another site, with the session cookie.
    expect((await here.fetch("/api/v1/account/sessions", { method: "DELETE", headers: { origin: "http://evil.example" } })).status).toBe(403);
    expect(await status(elsewhere.sessionCookie()!)).toBe(200);

    const res = await here.fetch("/api/v1/account/sessions", { method: "DELETE", headers: { origin: platform.consoleUrl } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ revokedSessions: 2 });
    expect(await status(here.sessionCookie()!)).toBe(401);
    expect(await status(elsewhere.sessionCookie()!)).toBe(401);
    // API tokens are the tenant's, not sessions: they keep working.
    const api = apiWithToken(platform.consoleUrl, token);
    expect((await api("/api/v1/apps")).status).toBe(200);

    // With a token: every session of the tenant's users; a read token may not.
    const again = await anotherSession(account);
    expect((await apiWithToken(platform.consoleUrl, reader)("/api/v1/account/sessions", { method: "DELETE" })).status).toBe(403);
    const byToken = await api("/api/v1/account/sessions", { method: "DELETE" });
    expect(await byToken.json()).toEqual({ revokedSessions: 1 });
    expect(await status(again.sessionCookie()!)).toBe(401);
    // A token cannot change a password: that needs the user, signed in.
    const viaToken = await api("/api/v1/account/password", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ currentPassword: account.password, newPassword: `x-${account.password}` }) });
    expect(viaToken.status).toBe(403);

    const tenantId = (await database.db.user.findUniqueOrThrow({ where: { email: account.email } })).tenantId;
    const events = await database.db.auditEvent.findMany({ where: { tenantId, action: "auth.sessions_revoked" }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.actor, e.target, e.detail])).toEqual([
      [account.email, `user:${account.email}`, { sessions: 2, reason: "sign_out_everywhere" }],
      [expect.stringMatching(/^token:wc_/), `tenant:${account.tenant}`, { sessions: 1, reason: "sign_out_everywhere" }],
    ]);
  }, 60_000);

  it("a cookie sealed with the console's own secret is refused unless it names a live session the console started", async () => {
    const browser = new ConsoleClient(platform.consoleUrl);
    const account = await browser.signUp();
    const cookie = browser.sessionCookie()!;
    const name = cookie.slice(0, cookie.indexOf("="));
    const claims = (await decode({ token: cookie.slice(name.length + 1), secret }))!;
    expect(claims.sid).toMatch(/^[0-9a-f-]{36}$/);
    const sealed = async (token: Record<string, unknown>) => `${name}=${await encode({ token, secret, maxAge: 3600 })}`;

    // The same claims re-sealed: accepted (the session is live).
    expect(await status(await sealed(claims))).toBe(200);
    // No session id (as every cookie made before sessions had rows), one never started, another
    // user's session under this user's name: all refused.
    const { sid: _sid, ...withoutSid } = claims;
    expect(await status(await sealed(withoutSid))).toBe(401);
    expect(await status(await sealed({ ...claims, sid: "00000000-0000-4000-8000-000000000000" }))).toBe(401);
    const other = new ConsoleClient(platform.consoleUrl);
    await other.signUp(newTestAccount());
    const otherClaims = (await decode({ token: other.sessionCookie()!.split("=")[1]!, secret }))!;
    expect(await status(await sealed({ ...claims, sid: otherClaims.sid }))).toBe(401);
    // What the request acts as comes from the session's row, not from the cookie's claims.
    const renamed = await sealed({ ...claims, tenantName: "someone-else", tenantId: otherClaims.tenantId, email: "x@example.com" });
    const apps = await withCookie(renamed, "/api/v1/audit?limit=1");
    expect((await apps.json()).events[0]).toMatchObject({ actor: account.email });
  }, 60_000);
});
