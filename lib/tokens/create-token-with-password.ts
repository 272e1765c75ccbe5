// Email + password for an API token (POST /api/v1/login, `wasmcompute login --email`): the same
// check as the console's sign-in form (verifyCredentials: per-email and per-address limits, the
// account lockout, the audit log), then a new token of the user's tenant, as if the user had
// created it on the API tokens page.
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { TOKEN_SCOPES } from "@/lib/auth/actor";
import { verifyCredentials } from "@/lib/auth/verify-credentials";
import { SignInInput } from "@/lib/auth/credential-schemas";
import type { PasswordLoginResponse } from "@/lib/api-shapes/token-shapes";
import { CreateTokenInput, createToken } from "./tokens";

export const DEFAULT_LOGIN_TOKEN_NAME = "API login";

export const PasswordLoginInput = SignInInput.extend({
  /** The new token's name, e.g. "cli on build-box-3": what the API tokens page lists. */
  name: CreateTokenInput.shape.name.default(DEFAULT_LOGIN_TOKEN_NAME),
  /** A session acts with every right; a token made from one defaults to the same. */
  scope: z.enum(TOKEN_SCOPES).default("admin"),
});

/** The token (its secret shown in this answer only), the tenant and the email. */
export type PasswordLogin = PasswordLoginResponse;

export async function createTokenWithPassword({ input, ip, now }: { input: unknown; ip: string; now?: Date }): Promise<PasswordLogin> {
  const { email, password, name, scope } = PasswordLoginInput.parse(input);
  const user = await verifyCredentials({ email, password }, ip, now, { via: "api" });
  const actor: Actor = { tenantId: user.tenantId, tenantName: user.tenantName, userId: user.userId, scope: "admin", ip };
  const { token, secret } = await createToken({ actor, input: { name, scope } });
  return { token, secret, tenant: user.tenantName, email: user.email };
}
