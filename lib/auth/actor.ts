// Who is acting: a signed-in user or an API token, always inside one tenant.
export const TOKEN_SCOPES = ["read", "deploy", "admin"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export interface Actor {
  tenantId: string;
  tenantName: string;
  /** Sessions act with every right; tokens with their scope. */
  scope: TokenScope;
  userId?: string;
  /** The console session (lib/auth/start-session.ts) a signed-in user acts through. */
  sessionId?: string;
  tokenId?: string;
  /** The client's address as the console saw it, for the audit log. */
  ip?: string | null;
}

const RANK: Record<TokenScope, number> = { read: 0, deploy: 1, admin: 2 };

export function allows(actor: Pick<Actor, "scope">, needed: TokenScope): boolean {
  return RANK[actor.scope] >= RANK[needed];
}
