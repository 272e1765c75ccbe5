// A sign-in starts a session: a row whose id the session cookie carries (lib/auth/auth-options.ts).
import { db } from "@/lib/db/client";

export const DEFAULT_SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

/** How long a sign-in lasts (SESSION_MAX_AGE_SECONDS, default 7 days); activity does not extend it. */
export function sessionMaxAgeSeconds(env: Record<string, string | undefined> = process.env): number {
  const seconds = Number(env.SESSION_MAX_AGE_SECONDS);
  return Number.isInteger(seconds) && seconds > 0 ? seconds : DEFAULT_SESSION_MAX_AGE_SECONDS;
}

export interface StartSessionOptions {
  userId: string;
  ip?: string | null;
  userAgent?: string | null;
  now?: Date;
  maxAgeSeconds?: number;
}

/** Records a new session for `userId` and returns its id. Every sign-in gets a new one. */
export async function startSession({ userId, ip, userAgent, now = new Date(), maxAgeSeconds = sessionMaxAgeSeconds() }: StartSessionOptions): Promise<string> {
  const row = await db().session.create({
    data: { userId, ip: ip ?? null, userAgent: userAgent?.slice(0, 300) ?? null, createdAt: now, expiresAt: new Date(now.getTime() + maxAgeSeconds * 1000) },
    select: { id: true },
  });
  return row.id;
}
