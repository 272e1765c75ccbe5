// A sign-in starts a session: a row whose id the session cookie carries (lib/auth/auth-options.ts).
import { consoleConfig } from "@/lib/config/console-config";
import { db } from "@/lib/db/client";

/** How long a sign-in lasts (SESSION_MAX_AGE_SECONDS, default 7 days); activity does not extend it. */
export function sessionMaxAgeSeconds(): number {
  return consoleConfig().SESSION_MAX_AGE_SECONDS;
}

export interface StartSessionOptions {
  userId: string;
  /** The tenant the session starts in (null: the home tenant); see signInTenantId. */
  tenantId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  now?: Date;
  maxAgeSeconds?: number;
}

/** Records a new session for `userId` and returns its id. Every sign-in gets a new one. */
export async function startSession({ userId, tenantId = null, ip, userAgent, now = new Date(), maxAgeSeconds = sessionMaxAgeSeconds() }: StartSessionOptions): Promise<string> {
  const row = await db().session.create({
    data: { userId, tenantId, ip: ip ?? null, userAgent: userAgent?.slice(0, 300) ?? null, createdAt: now, expiresAt: new Date(now.getTime() + maxAgeSeconds * 1000) },
    select: { id: true },
  });
  return row.id;
}

/**
 * Where a sign-in starts: the home tenant while the user is a member there, else the tenant they
 * joined first (someone removed from their home tenant still signs in to the others).
 */
export async function signInTenantId({ userId, homeTenantId }: { userId: string; homeTenantId: string }): Promise<string> {
  const memberships = await db().membership.findMany({ where: { userId }, select: { tenantId: true }, orderBy: { createdAt: "asc" } });
  if (memberships.some((m) => m.tenantId === homeTenantId)) return homeTenantId;
  return memberships[0]?.tenantId ?? homeTenantId;
}
