// Who is acting: a signed-in member or an API token, always inside one tenant.
import { ROLE_SCOPE, SCOPE_RANK, type AccessScope, type Role } from "./roles";

/** A token carries one of these; it is never wider than its creator's role (lib/auth/roles.ts). */
export const TOKEN_SCOPES = ["read", "deploy", "admin", "owner"] as const satisfies readonly AccessScope[];
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export interface Actor {
  tenantId: string;
  tenantName: string;
  /** A session acts with its member's role (ROLE_SCOPE); a token with its scope, capped by its creator's role. */
  scope: TokenScope;
  /** The member's role in this tenant (sessions, and tokens made by a member). */
  role?: Role;
  /** The signed-in user, or for a token the member who created it. */
  userId?: string;
  /** The console session (lib/auth/start-session.ts) a signed-in user acts through. */
  sessionId?: string;
  tokenId?: string;
  /** The token's prefix (wc_ab12): how the audit log names a token, without another query. */
  tokenPrefix?: string;
  /** The client's address as the console saw it, for the audit log. */
  ip?: string | null;
}

export function allows(actor: Pick<Actor, "scope">, needed: AccessScope): boolean {
  return SCOPE_RANK[actor.scope] >= SCOPE_RANK[needed];
}

/** The narrower of two scopes: a token's own and its creator's role's. */
export function narrowerScope(a: AccessScope, b: AccessScope): AccessScope {
  return SCOPE_RANK[a] <= SCOPE_RANK[b] ? a : b;
}

export { ROLE_SCOPE };
