// Failed sign-ins slow down the one who fails, not the account's owner.
//
// Before, ten failures locked the account for everyone: anyone who knew an email could keep its
// owner out. Now failures are counted per (email, client address): past SIGN_IN_BACKOFF.freeFailures
// in a row, that address waits before its next try for that email, and the wait doubles with every
// further failure (1, 2, 4 … minutes, up to an hour); a success from the address clears its count,
// a quiet day forgets it. The owner, from their own address, is never locked by someone else's
// failures.
//
// Against one attacker with many addresses the account also has a budget of failures across all
// addresses (ACCOUNT_FAILURES). Past it, only addresses the account has signed in from recently
// may still try; the owner at home or at work gets in, new addresses wait for the window to end.
//
// All of this is keyed by the email as typed, so an email without an account gets exactly the
// same answers (and the same waits): none of it tells whether an account exists.
import { AppError } from "@/lib/errors";
import { db } from "@/lib/db/client";

export const SIGN_IN_BACKOFF = {
  /** Consecutive failures from one address allowed without a wait. */
  freeFailures: 5,
  /** The wait after the `freeFailures`-th failure; each further failure doubles it… */
  firstWaitSeconds: 60,
  /** …up to this. */
  maxWaitSeconds: 60 * 60,
  /** Failures older than this are forgotten (the count starts again). */
  forgetAfterSeconds: 24 * 60 * 60,
};

export const ACCOUNT_FAILURES = {
  /** Failed sign-ins for one email, from all addresses, in one window… */
  limit: 50,
  windowSeconds: 60 * 60,
  /** …past which only addresses that signed in to it within this many days may still try. */
  knownAddressDays: 30,
};

/** How long an address waits after its `failures`-th consecutive failure for one email. */
export function backoffSeconds(failures: number): number {
  if (failures < SIGN_IN_BACKOFF.freeFailures) return 0;
  const doublings = Math.min(failures - SIGN_IN_BACKOFF.freeFailures, 30);
  return Math.min(SIGN_IN_BACKOFF.maxWaitSeconds, SIGN_IN_BACKOFF.firstWaitSeconds * 2 ** doublings);
}

export function waitMessage(until: Date, now = new Date()): string {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  const clock = until.toISOString().slice(11, 16);
  return (
    `Too many failed sign-ins for this email from your address. Try again after ${clock} UTC ` +
    `(in ${minutes} minute${minutes === 1 ? "" : "s"}); each further failure doubles the wait.`
  );
}

export interface ThrottleState {
  /** Set while this address must wait before trying this email again. */
  lockedUntil: Date | null;
  /** The account has signed in from this address recently. */
  known: boolean;
}

export async function findThrottle(email: string, address: string, now: Date): Promise<ThrottleState> {
  const row = await db().signInThrottle.findUnique({ where: { email_address: { email, address } } });
  const knownSince = new Date(now.getTime() - ACCOUNT_FAILURES.knownAddressDays * 24 * 60 * 60 * 1000);
  return {
    lockedUntil: row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null,
    known: !!row?.lastSuccessAt && row.lastSuccessAt > knownSince,
  };
}

const accountWindow = (now: Date) => {
  const ms = ACCOUNT_FAILURES.windowSeconds * 1000;
  return new Date(Math.floor(now.getTime() / ms) * ms);
};
const accountKey = (email: string) => `sign-in:failures:${email}`;

/**
 * Refuses an address the account does not know while the account's failures from all addresses
 * are past ACCOUNT_FAILURES.limit in the current window.
 */
export async function assertAccountNotUnderAttack(email: string, now: Date): Promise<void> {
  const windowStart = accountWindow(now);
  const row = await db().rateLimitWindow.findUnique({ where: { key_windowStart: { key: accountKey(email), windowStart } } });
  if ((row?.count ?? 0) < ACCOUNT_FAILURES.limit) return;
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + ACCOUNT_FAILURES.windowSeconds * 1000 - now.getTime()) / 1000));
  throw new AppError(
    "RATE_LIMITED",
    `Too many failed sign-ins for this email from many addresses. Sign in from a network you have used before, or wait ${Math.ceil(retryAfterSeconds / 60)} minutes.`,
    { retryAfterSeconds },
  );
}

/**
 * Counts one failure of (email, address): returns the consecutive count and, when this failure
 * starts a wait, until when.
 */
export async function countSignInFailure(email: string, address: string, now: Date): Promise<{ failures: number; lockedUntil: Date | null }> {
  const forgetBefore = new Date(now.getTime() - SIGN_IN_BACKOFF.forgetAfterSeconds * 1000);
  const rows = await db().$queryRaw<{ failures: number }[]>`
    INSERT INTO "SignInThrottle" ("email", "address", "failures", "lastFailureAt") VALUES (${email}, ${address}, 1, ${now})
    ON CONFLICT ("email", "address") DO UPDATE SET
      "failures" = CASE WHEN "SignInThrottle"."lastFailureAt" IS NULL OR "SignInThrottle"."lastFailureAt" < ${forgetBefore} THEN 1 ELSE "SignInThrottle"."failures" + 1 END,
      "lastFailureAt" = ${now}
    RETURNING "failures"`;
  await db().$executeRaw`
    INSERT INTO "RateLimitWindow" ("key", "windowStart", "count") VALUES (${accountKey(email)}, ${accountWindow(now)}, 1)
    ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimitWindow"."count" + 1`;
  const failures = Number(rows[0]?.failures ?? 1);
  const wait = backoffSeconds(failures);
  if (!wait) return { failures, lockedUntil: null };
  const lockedUntil = new Date(now.getTime() + wait * 1000);
  await db().signInThrottle.update({ where: { email_address: { email, address } }, data: { lockedUntil } });
  return { failures, lockedUntil };
}

/** A success from `address`: its count starts again, and the account now knows the address. */
export async function countSignInSuccess(email: string, address: string, now: Date): Promise<void> {
  await db().signInThrottle.upsert({
    where: { email_address: { email, address } },
    create: { email, address, failures: 0, lastSuccessAt: now },
    update: { failures: 0, lockedUntil: null, lastSuccessAt: now },
  });
}

/** Drops counts nobody needs any more (no failure for a day, no success within the known-address days). */
export async function pruneSignInThrottles(now = new Date()): Promise<number> {
  const failuresBefore = new Date(now.getTime() - SIGN_IN_BACKOFF.forgetAfterSeconds * 1000);
  const successBefore = new Date(now.getTime() - ACCOUNT_FAILURES.knownAddressDays * 24 * 60 * 60 * 1000);
  const { count } = await db().signInThrottle.deleteMany({
    where: {
      AND: [
        { OR: [{ lastFailureAt: null }, { lastFailureAt: { lt: failuresBefore } }] },
        { OR: [{ lastSuccessAt: null }, { lastSuccessAt: { lt: successBefore } }] },
        { OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
      ],
    },
  });
  return count;
}
