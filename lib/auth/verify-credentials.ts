import { AppError } from "@/lib/errors";
import { db } from "@/lib/db/client";
import { hitRateLimit } from "@/lib/rate-limit/hit-rate-limit";
import { SignInInput } from "@/lib/tenants/schemas";
import { decoyHash, verifyPassword } from "./passwords";

export interface SessionUser {
  userId: string;
  email: string;
  tenantId: string;
  tenantName: string;
}

export const SIGN_IN_LIMITS = { perEmail: 10, perAddress: 50, windowSeconds: 15 * 60 };

export const WRONG_CREDENTIALS = "Wrong email or password.";

/** Checks an email and password, counting the attempt against per-email and per-address limits. */
export async function verifyCredentials(input: unknown, remoteAddress = "unknown"): Promise<SessionUser> {
  const parsed = SignInInput.safeParse(input);
  if (!parsed.success) throw new AppError("UNAUTHORIZED", WRONG_CREDENTIALS);
  const { email, password } = parsed.data;

  const message = "Too many sign-in attempts. Wait {retry} and try again.";
  await hitRateLimit({ key: `sign-in:email:${email}`, limit: SIGN_IN_LIMITS.perEmail, windowSeconds: SIGN_IN_LIMITS.windowSeconds, message });
  await hitRateLimit({ key: `sign-in:addr:${remoteAddress}`, limit: SIGN_IN_LIMITS.perAddress, windowSeconds: SIGN_IN_LIMITS.windowSeconds, message });

  const user = await db().user.findUnique({ where: { email }, include: { tenant: true } });
  const ok = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
  if (!user || !ok) throw new AppError("UNAUTHORIZED", WRONG_CREDENTIALS);
  return { userId: user.id, email: user.email, tenantId: user.tenantId, tenantName: user.tenant.name };
}
