// Whether a session cookie still names a live session, asked on every signed-in request.
//
// Why JWT cookies plus a table rather than next-auth's database sessions: next-auth 4 signs in
// with credentials only under the JWT strategy (the database strategy refuses the credentials
// provider), and the JWT is encrypted and signed, so a cookie cannot be made up without
// NEXTAUTH_SECRET. What the JWT alone cannot do is end early: sign-out only deletes the cookie in
// one browser, and a copy stayed valid for up to SESSION_MAX_AGE_SECONDS. So the JWT carries the id
// of a Session row (made at sign-in), and a request is signed in only while that row exists and
// has not expired. Revoking a session deletes its row (lib/auth/revoke-sessions.ts).
//
// Cost: one primary-key lookup (joined with the user and tenant, which are then also current, not
// what the cookie said at sign-in) per request, remembered for CACHE_MS in this process. A
// revocation is immediate in the process that made it (it forgets its cached entries) and reaches
// the other console processes within CACHE_MS.
import { db } from "@/lib/db/client";
import { isRole, type Role } from "./roles";

export const SESSION_CACHE_MS = 5_000;
const CACHE_MAX = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TenantMembership {
  tenantId: string;
  tenantName: string;
  role: Role;
}

export interface LiveSession {
  sessionId: string;
  userId: string;
  email: string;
  /** The tenant the session acts in now (switched to, else the home tenant). */
  tenantId: string;
  tenantName: string;
  /** The user's role there, as it is now; null once they were removed from it (every request is refused until they switch). */
  role: Role | null;
  /** Every tenant the user belongs to (the console's tenant switcher). */
  tenants: TenantMembership[];
  expiresAt: Date;
}

interface Cached {
  session: LiveSession | null;
  checkedAt: number;
}

// On globalThis: Next bundles a module once per route, and a revocation in one route handler must
// reach the cache every other route and page reads.
const CACHE_KEY = Symbol.for("wasmcompute.liveSessions");
const cache: Map<string, Cached> = ((globalThis as Record<symbol, unknown>)[CACHE_KEY] as Map<string, Cached> | undefined) ??
  ((globalThis as Record<symbol, unknown>)[CACHE_KEY] = new Map<string, Cached>());

/** The live session `sessionId` names, with its user as they are now; null when it ended or never was. */
export async function findLiveSession(sessionId: unknown, now = new Date()): Promise<LiveSession | null> {
  if (typeof sessionId !== "string" || !UUID.test(sessionId)) return null;
  const t = now.getTime();
  const hit = cache.get(sessionId);
  if (hit && t - hit.checkedAt >= 0 && t - hit.checkedAt < SESSION_CACHE_MS) return hit.session && hit.session.expiresAt.getTime() > t ? hit.session : null;
  const row = await db().session.findUnique({
    where: { id: sessionId },
    select: {
      id: true,
      expiresAt: true,
      tenantId: true,
      tenant: { select: { name: true } },
      user: {
        select: {
          id: true,
          email: true,
          tenantId: true,
          tenant: { select: { name: true } },
          memberships: { select: { tenantId: true, role: true, tenant: { select: { name: true } } }, orderBy: { createdAt: "asc" } },
        },
      },
    },
  });
  const session: LiveSession | null = row ? toLiveSession(row) : null;
  remember(sessionId, session, t);
  return session && session.expiresAt.getTime() > t ? session : null;
}

function toLiveSession(row: {
  id: string;
  expiresAt: Date;
  tenantId: string | null;
  tenant: { name: string } | null;
  user: { id: string; email: string; tenantId: string; tenant: { name: string }; memberships: { tenantId: string; role: string; tenant: { name: string } }[] };
}): LiveSession {
  const tenants = row.user.memberships.flatMap((m) => (isRole(m.role) ? [{ tenantId: m.tenantId, tenantName: m.tenant.name, role: m.role }] : []));
  const currentId = row.tenantId ?? row.user.tenantId;
  const current = tenants.find((t) => t.tenantId === currentId);
  // A tenant the user was removed from stays current (role null), so the refusal can name it.
  const tenantName = current?.tenantName ?? (row.tenant ?? row.user.tenant).name;
  return { sessionId: row.id, userId: row.user.id, email: row.user.email, tenantId: currentId, tenantName, role: current?.role ?? null, tenants, expiresAt: row.expiresAt };
}

function remember(sessionId: string, session: LiveSession | null, checkedAt: number): void {
  if (cache.size >= CACHE_MAX) {
    // Oldest first (a Map iterates in insertion order): drop a tenth at once.
    let drop = Math.ceil(CACHE_MAX / 10);
    for (const key of cache.keys()) {
      if (drop-- <= 0) break;
      cache.delete(key);
    }
  }
  cache.delete(sessionId);
  cache.set(sessionId, { session, checkedAt });
}

/** Forgets what this process remembered of these sessions, or of every session of these users. */
export function forgetCachedSessions({ sessionIds = [], userIds = [] }: { sessionIds?: string[]; userIds?: string[] }): void {
  for (const id of sessionIds) cache.delete(id);
  if (!userIds.length) return;
  const users = new Set(userIds);
  for (const [id, entry] of cache) if (entry.session && users.has(entry.session.userId)) cache.delete(id);
}
