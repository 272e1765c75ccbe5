// Reads the signed-in user once per request for pages and route handlers.
import { cache } from "react";
import { getServerSession } from "next-auth";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { authOptions } from "./auth-options";
import { sessionCookieName } from "./console-cookies";
import { AFTER_SIGN_IN, REQUESTED_PATH_HEADER, safeCallbackPath } from "./safe-callback-path";
import type { TenantMembership } from "./find-live-session";
import type { Role } from "./roles";
import type { SessionUser } from "./verify-credentials";

export interface SignedInUser extends SessionUser {
  /** The live session (lib/auth/find-live-session.ts) the request's cookie names. */
  sessionId: string;
  /** The user's role in the session's current tenant (tenantId); null once they were removed from it. */
  role: Role | null;
  /** Every tenant the user belongs to. */
  tenants: TenantMembership[];
}

/**
 * The user whose live session the request's cookie names, or null. authOptions' session callback
 * has already checked the session row (one cached lookup); what it returns is the user and
 * tenant as they are now.
 */
export const getSessionUser = cache(async (): Promise<SignedInUser | null> => {
  const session = await getServerSession(authOptions);
  const user = session?.user as Partial<SignedInUser> & { email?: string | null } | undefined;
  if (!user?.userId || !user.tenantId || !user.email || !user.sessionId) return null;
  return {
    userId: user.userId,
    email: user.email,
    tenantId: user.tenantId,
    tenantName: user.tenantName ?? "",
    sessionId: user.sessionId,
    role: user.role ?? null,
    tenants: user.tenants ?? [],
  };
});

/** A signed-in user with a role in the session's current tenant. */
export type SignedInMember = SignedInUser & { role: NonNullable<SignedInUser["role"]> };

/** Where a member removed from the session's current tenant lands: the dashboard layout says so and offers the switcher. */
export const REMOVED_MEMBER_PATH = "/dashboard/removed";

/**
 * For pages behind sign-in: the user, or a redirect to the sign-in page saying why and where to
 * come back to. A user with no role in the current tenant (removed from it) is sent to
 * REMOVED_MEMBER_PATH: pages render apart from the layout (and alone on client-side navigation),
 * so each page must refuse on its own, not count on the layout. `allowRemoved`: the layout and
 * that page, which show no tenant data.
 */
export async function requireSessionUser(): Promise<SignedInMember>;
export async function requireSessionUser(options: { allowRemoved: true }): Promise<SignedInUser>;
export async function requireSessionUser({ allowRemoved = false }: { allowRemoved?: boolean } = {}): Promise<SignedInUser> {
  const user = await getSessionUser();
  if (user && !user.role && !allowRemoved) redirect(REMOVED_MEMBER_PATH);
  if (user) return user;
  const jar = await cookies();
  // Only this console's own cookie name (and its chunks) counts: one planted under another name is no session of ours.
  const name = sessionCookieName();
  const hadSession = jar.getAll().some((c) => c.name === name || c.name.startsWith(`${name}.`));
  const params = new URLSearchParams(hadSession ? { reason: "expired" } : {});
  // Only a path of this console (the header is proxy.ts's, but checked like any callbackUrl).
  const back = safeCallbackPath((await headers()).get(REQUESTED_PATH_HEADER));
  if (back !== AFTER_SIGN_IN) params.set("callbackUrl", back);
  redirect(params.size ? `/sign-in?${params}` : "/sign-in");
}
