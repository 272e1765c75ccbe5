import { AppError } from "@/lib/errors";
import { db } from "@/lib/db/client";
import { hitRateLimit } from "@/lib/rate-limit/hit-rate-limit";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { SignInInput } from "./credential-schemas";
import { decoyHash, verifyPassword } from "./passwords";
import { assertAccountNotUnderAttack, countSignInFailure, countSignInSuccess, findThrottle, waitMessage } from "./sign-in-throttle";

export { ACCOUNT_FAILURES, SIGN_IN_BACKOFF, backoffSeconds, waitMessage } from "./sign-in-throttle";

export interface SessionUser {
  userId: string;
  email: string;
  tenantId: string;
  tenantName: string;
}

/** Attempts from one client address, whatever the emails: the attacker's own address is what runs out. */
export const SIGN_IN_LIMITS = { perAddress: 50, windowSeconds: 15 * 60 };

export const WRONG_CREDENTIALS = "Wrong email or password.";

/**
 * Checks an email and password. In order: a wait this address must still sit out for this email
 * (lib/auth/sign-in-throttle.ts), the per-address limit, the account's budget of failures from
 * addresses it does not know, then the password. A failure counts against (email, address) and
 * may start a wait that doubles with each further failure; a success clears that address's count.
 * Unknown emails are answered exactly like known ones, waits included, and take as long: a
 * password is always verified, against a decoy hash when there is no account or the address must
 * wait. `via` names the way in other than the console's form (e.g. "api": POST /api/v1/login) in
 * the audit events' detail; the limits and waits are the same for every way in.
 */
export async function verifyCredentials(input: unknown, remoteAddress = "unknown", now = new Date(), { via }: { via?: "api" } = {}): Promise<SessionUser> {
  const parsed = SignInInput.safeParse(input);
  if (!parsed.success) throw new AppError("UNAUTHORIZED", WRONG_CREDENTIALS);
  const { email, password } = parsed.data;
  const ip = remoteAddress === "unknown" ? null : remoteAddress;

  const [user, throttle] = await Promise.all([db().user.findUnique({ where: { email }, include: { tenant: true } }), findThrottle(email, remoteAddress, now)]);
  if (throttle.lockedUntil) {
    await verifyPassword(await decoyHash(), password);
    throw new AppError("RATE_LIMITED", waitMessage(throttle.lockedUntil, now), { retryAfterSeconds: Math.ceil((throttle.lockedUntil.getTime() - now.getTime()) / 1000) });
  }

  const message = "Too many sign-in attempts from your address. Wait {retry} and try again.";
  await hitRateLimit({ key: `sign-in:addr:${remoteAddress}`, limit: SIGN_IN_LIMITS.perAddress, windowSeconds: SIGN_IN_LIMITS.windowSeconds, message }, now);
  if (!throttle.known) await assertAccountNotUnderAttack(email, now);

  const ok = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
  if (!user || !ok) {
    const { failures, lockedUntil } = await countSignInFailure(email, remoteAddress, now);
    if (user) {
      const actor = { tenantId: user.tenantId, label: user.email };
      const detail = via ? { via } : undefined;
      await recordAuditEvent({ actor, action: "auth.sign_in_failed", target: `user:${user.email}`, ip, detail });
      if (lockedUntil) {
        const seconds = Math.round((lockedUntil.getTime() - now.getTime()) / 1000);
        await recordAuditEvent({ actor, action: "auth.locked", target: `user:${user.email}`, ip, detail: { until: lockedUntil.toISOString(), seconds, failures, ...detail } });
      }
    }
    throw new AppError("UNAUTHORIZED", lockedUntil ? waitMessage(lockedUntil, now) : WRONG_CREDENTIALS);
  }
  await countSignInSuccess(email, remoteAddress, now);
  await recordAuditEvent({ actor: { tenantId: user.tenantId, userId: user.id }, action: "auth.sign_in", target: `user:${user.email}`, ip, detail: via ? { via } : undefined });
  return { userId: user.id, email: user.email, tenantId: user.tenantId, tenantName: user.tenant.name };
}
