// Creates a tenant and its first user in one statement: either both exist afterwards or neither.
import { AppError } from "@/lib/errors";
import { db, isUniqueViolation } from "@/lib/db/client";
import { hashPassword } from "@/lib/auth/passwords";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { hitSignUpLimit } from "@/lib/rate-limit/sign-up-limit";
import { SignUpInput } from "./schemas";

export interface SignedUp {
  userId: string;
  tenantId: string;
  tenantName: string;
  email: string;
}

export async function signUp(input: unknown, { ip }: { ip?: string | null } = {}): Promise<SignedUp> {
  const { email, password, tenant } = SignUpInput.parse(input);
  await assertAvailable(email, tenant);
  const passwordHash = await hashPassword(password);
  try {
    // The tenant, its first user and that user's owner membership: all or nothing.
    const { created, user } = await db().$transaction(async (tx) => {
      const created = await tx.tenant.create({ data: { name: tenant, users: { create: { email, passwordHash } } }, include: { users: true } });
      const user = created.users[0]!;
      await tx.membership.create({ data: { tenantId: created.id, userId: user.id, role: "owner" } });
      return { created, user };
    });
    await recordAuditEvent({ actor: { tenantId: created.id, label: user.email }, action: "auth.sign_up", target: `tenant:${created.name}`, ip });
    return { userId: user.id, tenantId: created.id, tenantName: created.name, email: user.email };
  } catch (e) {
    // Lost a race with a concurrent sign-up: report which name was taken.
    if (isUniqueViolation(e)) await assertAvailable(email, tenant);
    throw e;
  }
}

/**
 * A sign-up from the public endpoint (the console's form, `wasmcompute signup`): a well-formed
 * attempt counts against its address's sliding window (lib/rate-limit/sign-up-limit.ts) before
 * anything is looked up; input that does not parse is refused (422) without using up the limit.
 */
export async function signUpFromAddress(input: unknown, { ip, now }: { ip: string; now?: Date }): Promise<SignedUp> {
  const parsed = SignUpInput.parse(input);
  await hitSignUpLimit(ip, now);
  return signUp(parsed, { ip });
}

/**
 * What a sign-up may say about names already in use. A tenant name is public (it is in every app's
 * URL), so "taken" is said plainly, and first: with both taken, the answer is about the tenant.
 * An email is private: the answer must refuse it (emails are unique) but does not confirm that an
 * account has it or say anything about that account; sign-in answers an unknown email exactly like
 * a wrong password, and every sign-up attempt, refused or not, counts against the address's
 * sliding window (lib/rate-limit/sign-up-limit.ts).
 */
export const EMAIL_UNAVAILABLE = "This email cannot be used for a new account. If you already have an account, sign in instead; otherwise use another email.";

async function assertAvailable(email: string, tenant: string): Promise<void> {
  const [user, existingTenant] = await Promise.all([
    db().user.findUnique({ where: { email }, select: { id: true } }),
    db().tenant.findUnique({ where: { name: tenant }, select: { id: true } }),
  ]);
  if (existingTenant) throw new AppError("CONFLICT", `The tenant name "${tenant}" is taken; choose another.`, { field: "tenant" });
  if (user) throw new AppError("CONFLICT", EMAIL_UNAVAILABLE, { field: "email" });
}
