// Email + password for an API token (POST /api/v1/login, `wasmcompute login --email`): the same
// check as the console's sign-in form (verifyCredentials: per-email and per-address limits, the
// account lockout, the audit log), then a new token of the user's tenant, as if the user had
// created it on the API tokens page.
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { TOKEN_SCOPES } from "@/lib/auth/actor";
import { ROLE_SCOPE } from "@/lib/auth/roles";
import { findMembershipForLogin } from "@/lib/auth/find-membership";
import { NUL_MESSAGE, noNul } from "@/lib/text/nul";
import { verifyCredentials } from "@/lib/auth/verify-credentials";
import { SignInInput } from "@/lib/auth/credential-schemas";
import type { PasswordLoginResponse } from "@/lib/api-shapes/token-shapes";
import { CreateTokenInput, createToken } from "./tokens";

export const DEFAULT_LOGIN_TOKEN_NAME = "API login";

export const PasswordLoginInput = SignInInput.extend({
  /** The new token's name, e.g. "cli on build-box-3": what the API tokens page lists. */
  name: CreateTokenInput.shape.name.default(DEFAULT_LOGIN_TOKEN_NAME),
  /** Omitted: the rights of the user's role (a wider scope is refused). */
  scope: z.enum(TOKEN_SCOPES).optional(),
  /** The tenant the token is bound to (the user must be a member); omitted: the user's home tenant. */
  tenant: z.string().trim().toLowerCase().min(1).max(32).refine(noNul, NUL_MESSAGE).optional(),
});

/** The token (its secret shown in this answer only), the tenant and the email. */
export type PasswordLogin = PasswordLoginResponse;

export async function createTokenWithPassword({ input, ip, now }: { input: unknown; ip: string; now?: Date }): Promise<PasswordLogin> {
  const { email, password, name, scope, tenant } = PasswordLoginInput.parse(input);
  const user = await verifyCredentials({ email, password }, ip, now, { via: "api" });
  const member = await findMembershipForLogin({ userId: user.userId, tenantName: tenant ?? user.tenantName });
  const actor: Actor = { tenantId: member.tenantId, tenantName: member.tenantName, userId: user.userId, role: member.role, scope: ROLE_SCOPE[member.role], ip };
  const { token, secret } = await createToken({ actor, input: { name, scope: scope ?? actor.scope } });
  return { token, secret, tenant: member.tenantName, email: user.email, role: member.role };
}
