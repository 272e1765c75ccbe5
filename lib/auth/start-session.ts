// A sign-in starts a session: a row whose id the session cookie carries (lib/auth/auth-options.ts).
import { consoleConfig } from "@/lib/config/console-config";
import { db } from "@/lib/db/client";

/** How long a sign-in lasts (SESSION_MAX_AGE_SECONDS, default 7 days); activity does not extend it. */
export function sessionMaxAgeSeconds(): number {
  return consoleConfig().SESSION_MAX_AGE_SECONDS;
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
