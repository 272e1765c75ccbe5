// Ending console sessions before they expire: a session row deleted is a cookie no longer honoured
// (lib/auth/find-live-session.ts), wherever copies of that cookie are.
import { AppError } from "@/lib/errors";
import { db } from "@/lib/db/client";
import { allows, type Actor } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { forgetCachedSessions } from "./find-live-session";
import type { RevokedSessionsResponse } from "@/lib/api-shapes/account-shapes";

/** Ends one session (signing out). True when it was still live. */
export async function revokeSession({ sessionId }: { sessionId: string }): Promise<boolean> {
  const { count } = await db().session.deleteMany({ where: { id: sessionId } });
  forgetCachedSessions({ sessionIds: [sessionId] });
  return count > 0;
}

/**
 * Ends every session of a user, except `exceptSessionId` (the one making a change, e.g. a
 * password change keeps the session it was made from). For sign-out everywhere, a password
 * change, and removing a user from a tenant (call it when members can be removed). Returns how
 * many ended.
 */
export async function revokeUserSessions({ userId, exceptSessionId }: { userId: string; exceptSessionId?: string }): Promise<number> {
  const { count } = await db().session.deleteMany({ where: { userId, ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}) } });
  forgetCachedSessions({ userIds: [userId] });
  return count;
}

/** Deletes sessions that expired before `now` (they are refused anyway): housekeeping. */
export async function pruneExpiredSessions(now = new Date()): Promise<number> {
  const { count } = await db().session.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}

/**
 * "Sign out everywhere": a signed-in user ends all of their own sessions, this one included; an
 * admin API token ends the sessions of every user of its tenant (a token belongs to the tenant,
 * not to a user). API tokens are not touched: revoke those on the API tokens page.
 */
export async function signOutEverywhere({ actor }: { actor: Actor }): Promise<RevokedSessionsResponse> {
  let userIds: string[];
  // A token's userId is its creator: a token still acts for the tenant, so it ends every member's
  // sessions, and for that it needs the admin scope (a member ends their own with any role).
  if (actor.tokenId && !allows(actor, "admin")) {
    throw new AppError("FORBIDDEN", `This token has the "${actor.scope}" scope; signing out every member of the tenant needs "admin". Sign out your own sessions from the console's Settings page.`);
  }
  if (actor.tokenId) userIds = (await db().membership.findMany({ where: { tenantId: actor.tenantId }, select: { userId: true } })).map((m) => m.userId);
  else if (actor.userId) userIds = [actor.userId];
  else throw new AppError("FORBIDDEN", "Sign in to the console, or use an admin API token, to sign out everywhere.");
  let revokedSessions = 0;
  for (const userId of userIds) revokedSessions += await revokeUserSessions({ userId });
  await recordAuditEvent({ actor, action: "auth.sessions_revoked", target: actor.userId && !actor.tokenId ? `user:${await emailOf(actor.userId)}` : `tenant:${actor.tenantName}`, detail: { sessions: revokedSessions, reason: "sign_out_everywhere" } });
  return { revokedSessions };
}

async function emailOf(userId: string): Promise<string> {
  return (await db().user.findUnique({ where: { id: userId }, select: { email: true } }))?.email ?? userId;
}
