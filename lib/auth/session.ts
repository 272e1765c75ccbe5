// Reads the signed-in user once per request for pages and route handlers.
import { cache } from "react";
import { getServerSession } from "next-auth";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { authOptions } from "./auth-options";
import type { SessionUser } from "./verify-credentials";

export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions);
  const user = session?.user as Partial<SessionUser> & { email?: string | null } | undefined;
  if (!user?.userId || !user.tenantId || !user.tenantName || !user.email) return null;
  return { userId: user.userId, email: user.email, tenantId: user.tenantId, tenantName: user.tenantName };
});

/** For pages behind sign-in: the user, or a redirect to the sign-in page saying why. */
export async function requireSessionUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (user) return user;
  const jar = await cookies();
  const hadSession = jar.has("next-auth.session-token") || jar.has("__Secure-next-auth.session-token");
  redirect(hadSession ? "/sign-in?reason=expired" : "/sign-in");
}
