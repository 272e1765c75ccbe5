import { AppError } from "@/lib/errors";
import { db } from "@/lib/db/client";
import { hitRateLimit } from "@/lib/rate-limit/hit-rate-limit";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { SignInInput } from "@/lib/tenants/schemas";
import { decoyHash, verifyPassword } from "./passwords";

export interface SessionUser {
  userId: string;
  email: string;
  tenantId: string;
  tenantName: string;
}

/** Attempts per email (successes too) and per client address; above the lockout's threshold, so
 * ten consecutive failures always end in a lockout, not in a rate limit. */
export const SIGN_IN_LIMITS = { perEmail: 20, perAddress: 50, windowSeconds: 15 * 60 };

/** Consecutive failed sign-ins that lock an account, and for how long. */
export const LOCKOUT = { failures: 10, minutes: 15 };

export const WRONG_CREDENTIALS = "Wrong email or password.";

export function lockedMessage(until: Date, now = new Date()): string {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  const clock = until.toISOString().slice(11, 16);
  return `This account is locked after ${LOCKOUT.failures} failed sign-ins. Try again after ${clock} UTC (in ${minutes} minute${minutes === 1 ? "" : "s"}).`;
}

/**
 * Checks an email and password, counting the attempt against per-email and per-address limits
 * and the account's consecutive failures. Unknown emails are answered exactly like known ones,
 * lockout included (their failures are counted in RateLimitWindow rows), and take as long: a
 * password is always verified, against a decoy hash when there is no account or it is locked.
 * `via` names the way in other than the console's form (e.g. "api": POST /api/v1/login) in the
 * audit events' detail; the limits and the lockout are the same for every way in.
 */
export async function verifyCredentials(input: unknown, remoteAddress = "unknown", now = new Date(), { via }: { via?: "api" } = {}): Promise<SessionUser> {
  const parsed = SignInInput.safeParse(input);
  if (!parsed.success) throw new AppError("UNAUTHORIZED", WRONG_CREDENTIALS);
  const { email, password } = parsed.data;
  const ip = remoteAddress === "unknown" ? null : remoteAddress;

  const user = await db().user.findUnique({ where: { email }, include: { tenant: true } });
  const lockedUntil = user ? user.lockedUntil : await findDecoyLock(email, now);
  if (lockedUntil && lockedUntil > now) {
    await verifyPassword(await decoyHash(), password);
    throw new AppError("RATE_LIMITED", lockedMessage(lockedUntil, now), { retryAfterSeconds: Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000) });
  }

  const message = "Too many sign-in attempts. Wait {retry} and try again.";
  await hitRateLimit({ key: `sign-in:email:${email}`, limit: SIGN_IN_LIMITS.perEmail, windowSeconds: SIGN_IN_LIMITS.windowSeconds, message }, now);
  await hitRateLimit({ key: `sign-in:addr:${remoteAddress}`, limit: SIGN_IN_LIMITS.perAddress, windowSeconds: SIGN_IN_LIMITS.windowSeconds, message }, now);

  const ok = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
  if (!user) {
    const until = await countDecoyFailure(email, now);
    throw new AppError("UNAUTHORIZED", until ? lockedMessage(until, now) : WRONG_CREDENTIALS);
  }
  const actor = { tenantId: user.tenantId, label: user.email };
  const detail = via ? { via } : undefined;
  if (!ok) {
    const until = await countFailure(user.id, now);
    await recordAuditEvent({ actor, action: "auth.sign_in_failed", target: `user:${user.email}`, ip, detail });
    if (!until) throw new AppError("UNAUTHORIZED", WRONG_CREDENTIALS);
    await recordAuditEvent({ actor, action: "auth.locked", target: `user:${user.email}`, ip, detail: { until: until.toISOString(), failures: LOCKOUT.failures, ...detail } });
    throw new AppError("UNAUTHORIZED", lockedMessage(until, now));
  }
  if (user.failedSignIns !== 0 || user.lockedUntil) {
    await db().user.update({ where: { id: user.id }, data: { failedSignIns: 0, lockedUntil: null } });
  }
  await recordAuditEvent({ actor: { tenantId: user.tenantId, userId: user.id }, action: "auth.sign_in", target: `user:${user.email}`, ip, detail });
  return { userId: user.id, email: user.email, tenantId: user.tenantId, tenantName: user.tenant.name };
}

/** Counts one failure; returns the unlock time when this failure locked the account. */
async function countFailure(userId: string, now: Date): Promise<Date | null> {
  const { failedSignIns } = await db().user.update({ where: { id: userId }, data: { failedSignIns: { increment: 1 } }, select: { failedSignIns: true } });
  if (failedSignIns < LOCKOUT.failures) return null;
  const until = new Date(now.getTime() + LOCKOUT.minutes * 60_000);
  // Only the request that crosses the limit locks (and is audited), even under concurrency.
  const { count } = await db().user.updateMany({ where: { id: userId, failedSignIns: { gte: LOCKOUT.failures } }, data: { failedSignIns: 0, lockedUntil: until } });
  return count ? until : null;
}

// Unknown emails: a failure counter and a lock row in RateLimitWindow, keyed by the email, so an
// attacker cannot tell an account from a non-account by the lockout.
const DECOY_EPOCH = new Date(0);
const decoyFailuresKey = (email: string) => `sign-in:unknown-failures:${email}`;
const decoyLockKey = (email: string) => `sign-in:unknown-lock:${email}`;

async function findDecoyLock(email: string, now: Date): Promise<Date | null> {
  const row = await db().rateLimitWindow.findFirst({ where: { key: decoyLockKey(email), windowStart: { gt: now } }, orderBy: { windowStart: "desc" } });
  return row?.windowStart ?? null;
}

async function countDecoyFailure(email: string, now: Date): Promise<Date | null> {
  const rows = await db().$queryRaw<{ count: number }[]>`
    INSERT INTO "RateLimitWindow" ("key", "windowStart", "count") VALUES (${decoyFailuresKey(email)}, ${DECOY_EPOCH}, 1)
    ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimitWindow"."count" + 1
    RETURNING "count"`;
  if (Number(rows[0]?.count ?? 0) < LOCKOUT.failures) return null;
  const until = new Date(now.getTime() + LOCKOUT.minutes * 60_000);
  await db().$transaction([
    db().rateLimitWindow.deleteMany({ where: { key: decoyFailuresKey(email) } }),
    db().rateLimitWindow.create({ data: { key: decoyLockKey(email), windowStart: until, count: 1 } }),
  ]);
  return until;
}
