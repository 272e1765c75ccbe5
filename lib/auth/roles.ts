// Roles of a tenant's members and what each may do: THE table (docs/teams.md shows it, and a test
// checks the two agree). Every API route declares the scope it needs (lib/openapi route tables);
// a member acts with their role's scope, a token with its own, never wider than its creator's role.
// Pure data: the console's pages read it too, to hide what a role cannot do (the server enforces it).

export const ROLES = ["owner", "admin", "developer", "viewer"] as const;
export type Role = (typeof ROLES)[number];

/** Access levels, narrowest first: each includes every right of the ones before it. */
export const ACCESS_SCOPES = ["read", "deploy", "admin", "owner"] as const;
export type AccessScope = (typeof ACCESS_SCOPES)[number];
export const SCOPE_RANK: Record<AccessScope, number> = { read: 0, deploy: 1, admin: 2, owner: 3 };

export interface RoleRights {
  scope: AccessScope;
  /** What the scope lets the role do, in words (docs/teams.md). */
  can: string;
}

export const ROLE_RIGHTS: Record<Role, RoleRights> = {
  viewer: { scope: "read", can: "read apps, versions, deployments, logs, KV data, env variables (not secret values), usage, billing and the member list" },
  developer: { scope: "deploy", can: "what a viewer can, plus create apps, publish versions, deploy, roll back, try requests, save sources and saved requests, write KV data" },
  admin: { scope: "admin", can: "what a developer can, plus delete apps, set env variables and secrets, manage API tokens, the spending cap, the audit log, and invite members (up to admin)" },
  owner: { scope: "owner", can: "what an admin can, plus change roles, remove members, invite owners; the last owner cannot leave or be demoted" },
};

export const ROLE_SCOPE: Record<Role, AccessScope> = Object.fromEntries(ROLES.map((r) => [r, ROLE_RIGHTS[r].scope])) as Record<Role, AccessScope>;

export const isRole = (value: unknown): value is Role => typeof value === "string" && (ROLES as readonly string[]).includes(value);

/** Whether a member with `role` may act where `needed` is required. */
export function roleAllows(role: Role, needed: AccessScope): boolean {
  return SCOPE_RANK[ROLE_SCOPE[role]] >= SCOPE_RANK[needed];
}

/** The widest role whose rights fit inside `scope`: what an invitation or token made by that scope may grant. */
export function roleRank(role: Role): number {
  return SCOPE_RANK[ROLE_SCOPE[role]];
}
