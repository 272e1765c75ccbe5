// API tokens and accounts, as the REST API answers them (docs/api.md).
import { z } from "zod";
import { Timestamp } from "./timestamp";

/** A token as listed: never its secret. */
export const TokenView = z.looseObject({
  id: z.string(),
  name: z.string(),
  scope: z.string(),
  /** The secret's first characters, to tell tokens apart. */
  prefix: z.string(),
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
  /** Null: never expires. */
  expiresAt: Timestamp.nullable(),
});
export type TokenView = z.infer<typeof TokenView>;

export const TokensResponse = z.object({ tokens: z.array(TokenView) });
/** POST /tokens: the secret is in this answer only. */
export const CreatedTokenResponse = z.object({ token: TokenView, secret: z.string() });
export type CreatedTokenResponse = z.infer<typeof CreatedTokenResponse>;
/** POST /login: a new token from an email and password. */
export const PasswordLoginResponse = z.looseObject({ token: TokenView, secret: z.string(), tenant: z.string(), email: z.string(), role: z.string().optional() });
export type PasswordLoginResponse = z.infer<typeof PasswordLoginResponse>;
/** POST /signup. */
export const SignUpResponse = z.looseObject({ tenant: z.string(), email: z.string() });
