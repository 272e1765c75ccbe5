// Session rows against a real PostgreSQL: expiry, revocation (immediate in this process, within
// SESSION_CACHE_MS in the others), and the lib functions others call (removing a user's sessions).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newTestAccount } from "@/lib/testing/console-client";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { signUp } from "@/lib/tenants/sign-up";
import { SESSION_CACHE_MS, findLiveSession } from "./find-live-session";
import { pruneExpiredSessions, revokeSession, revokeUserSessions } from "./revoke-sessions";
import { startSession } from "./start-session";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase("postgres");
}, 60_000);
afterAll(() => database?.close());

const later = (base: Date, ms: number) => new Date(base.getTime() + ms);

describe("session records", () => {
  it("a session is live from sign-in until it expires, with its user and tenant as they are now", async () => {
    const user = await signUp(newTestAccount());
    const now = new Date();
    const sessionId = await startSession({ userId: user.userId, ip: "192.0.2.1", userAgent: "x".repeat(1000), now, maxAgeSeconds: 60 });
    expect(await findLiveSession(sessionId, now)).toMatchObject({ sessionId, userId: user.userId, email: user.email, tenantId: user.tenantId, tenantName: user.tenantName });
    expect(await findLiveSession(sessionId, later(now, 59_000))).not.toBeNull();
    expect(await findLiveSession(sessionId, later(now, 60_000))).toBeNull();
    const row = await database.db.session.findUniqueOrThrow({ where: { id: sessionId } });
    expect(row).toMatchObject({ ip: "192.0.2.1", userAgent: "x".repeat(300) });
    expect(await pruneExpiredSessions(later(now, 61_000))).toBeGreaterThanOrEqual(1);
    expect(await database.db.session.count({ where: { id: sessionId } })).toBe(0);
  });

  it("anything but the id of a started session is no session", async () => {
    for (const id of [undefined, null, 42, "", "not-a-uuid", "00000000-0000-4000-8000-000000000000", "' OR 1=1 --"]) {
      expect(await findLiveSession(id)).toBeNull();
    }
  });

  it("revoking is immediate in this process; another process's revocation is seen within SESSION_CACHE_MS", async () => {
    const user = await signUp(newTestAccount());
    const now = new Date();
    const a = await startSession({ userId: user.userId, now });
    const b = await startSession({ userId: user.userId, now });
    expect(await findLiveSession(a, now)).not.toBeNull();
    expect(await revokeSession({ sessionId: a })).toBe(true);
    expect(await findLiveSession(a, now)).toBeNull();
    expect(await revokeSession({ sessionId: a })).toBe(false);

    // Another console process deletes the row (here: straight in the database): remembered for a moment, then gone.
    expect(await findLiveSession(b, now)).not.toBeNull();
    await database.db.session.delete({ where: { id: b } });
    expect(await findLiveSession(b, later(now, SESSION_CACHE_MS - 1))).not.toBeNull();
    expect(await findLiveSession(b, later(now, SESSION_CACHE_MS))).toBeNull();
  });

  it("revokeUserSessions (sign out everywhere, password change, removing a member) ends one user's sessions, but the one kept", async () => {
    const alice = await signUp(newTestAccount());
    const bob = await signUp(newTestAccount());
    const now = new Date();
    const [kept, other1, other2] = [await startSession({ userId: alice.userId, now }), await startSession({ userId: alice.userId, now }), await startSession({ userId: alice.userId, now })];
    const bobs = await startSession({ userId: bob.userId, now });
    for (const id of [kept, other1, other2, bobs]) expect(await findLiveSession(id, now)).not.toBeNull();
    expect(await revokeUserSessions({ userId: alice.userId, exceptSessionId: kept })).toBe(2);
    expect(await findLiveSession(other1, now)).toBeNull();
    expect(await findLiveSession(other2, now)).toBeNull();
    expect(await findLiveSession(kept, now)).not.toBeNull();
    expect(await findLiveSession(bobs, now)).not.toBeNull();
    expect(await revokeUserSessions({ userId: alice.userId })).toBe(1);
    expect(await findLiveSession(kept, now)).toBeNull();
    // Deleting the user (a tenant deleted) deletes the sessions with it.
    await database.db.tenant.delete({ where: { id: bob.tenantId } });
    expect(await database.db.session.count({ where: { id: bobs } })).toBe(0);
  });
});
