// The tenant's audit log of security events. Writers call recordAuditEvent after the change it
// describes has committed; a failure to record is logged, never thrown into the caller's request.
import { db } from "@/lib/db/client";

export const AUDIT_ACTIONS = [
  "auth.sign_up",
  "auth.sign_in",
  "auth.sign_in_failed",
  "auth.locked",
  "auth.sign_out",
  "auth.sessions_revoked",
  "auth.password_changed",
  "token.created",
  "token.revoked",
  "app.created",
  "app.deleted",
  "version.published",
  "deploy",
  "rollback",
  "undeploy",
  "env.set",
  "env.deleted",
  "secret.set",
  "secret.deleted",
  "spending_cap.changed",
  "member.invited",
  "member.invitation_revoked",
  "member.joined",
  "member.role_changed",
  "member.removed",
  "member.left",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * Who acted: what the log needs of an Actor (lib/auth/actor.ts: a user's session or an API
 * token), or a bare label ("system", an email). Declared here, not imported, because the sign-in
 * flows in lib/auth record events: audit sits below auth.
 */
export type AuditActor = { tenantId: string; userId?: string; tokenId?: string; tokenPrefix?: string; ip?: string | null } | { tenantId: string; label: string };

export interface AuditEventInput {
  actor: AuditActor;
  action: AuditAction;
  /** What it acted on, e.g. "app:hello", "token:wc_ab12", "secret:production/API_KEY". Never a secret's value. */
  target?: string;
  /** Defaults to the actor's (set by withTenant). */
  ip?: string | null;
  detail?: Record<string, string | number | boolean | null>;
}

export async function recordAuditEvent({ actor, action, target, ip, detail }: AuditEventInput): Promise<void> {
  try {
    await db().auditEvent.create({
      data: { tenantId: actor.tenantId, actor: await describeActor(actor), action, target: target ?? null, ip: ip ?? ("ip" in actor ? actor.ip : null) ?? null, detail: detail ?? undefined },
    });
  } catch (error) {
    console.error(`[audit] could not record ${action} for tenant ${actor.tenantId}:`, error);
  }
}

async function describeActor(actor: AuditActor): Promise<string> {
  if ("label" in actor) return actor.label;
  if (actor.tokenId) {
    // Set by the token check (lib/tokens/tokens.ts): every token request saves this query.
    if (actor.tokenPrefix) return `token:${actor.tokenPrefix}`;
    const token = await db().apiToken.findUnique({ where: { id: actor.tokenId }, select: { prefix: true } });
    return `token:${token?.prefix ?? actor.tokenId}`;
  }
  if (actor.userId) {
    const user = await db().user.findUnique({ where: { id: actor.userId }, select: { email: true } });
    return user?.email ?? `user:${actor.userId}`;
  }
  return "system";
}
