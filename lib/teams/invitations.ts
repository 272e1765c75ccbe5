// Invitations: a one-time link /invite/<token> for an email and a role. The token is random (256
// bits), shown once to whoever created it and stored as its SHA-256, as API tokens are. Accepting
// needs a signed-in user with the invited email; it joins the tenant and switches the session to it.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { InvitationView } from "@/lib/api-shapes/team-shapes";
import type { Actor } from "@/lib/auth/actor";
import { Email } from "@/lib/auth/credential-schemas";
import { forgetCachedSessions } from "@/lib/auth/find-live-session";
import { ROLES, SCOPE_RANK, ROLE_SCOPE, type Role } from "@/lib/auth/roles";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { sha256Hex } from "@/lib/blobs/blob-store";
import { db, isUniqueViolation } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

export const INVITATION_PREFIX = "wci_";
export const DEFAULT_INVITATION_DAYS = 7;
export const MAX_INVITATION_DAYS = 30;
const DAY_MS = 86_400_000;

export const CreateInvitationInput = z.object({
  email: Email,
  role: z.enum(ROLES, { message: `role must be one of: ${ROLES.join(", ")}` }).default("developer"),
  expiresInDays: z
    .number({ error: "Give the expiry as a whole number of days" })
    .int("Give the expiry as a whole number of days")
    .min(1, "An invitation must last at least 1 day")
    .max(MAX_INVITATION_DAYS, `An invitation can last at most ${MAX_INVITATION_DAYS} days`)
    .default(DEFAULT_INVITATION_DAYS),
});
export const AcceptInvitationInput = z.object({ token: z.string().trim().min(1, "The invitation link's token is missing").max(100) });

/** The path of an invitation's one-time link. */
export const invitationPath = (token: string) => `/invite/${token}`;

type Row = { id: string; email: string; role: string; createdAt: Date; expiresAt: Date; acceptedAt: Date | null; revokedAt: Date | null; createdById: string };

function statusOf(row: Pick<Row, "acceptedAt" | "revokedAt" | "expiresAt">, now: Date): InvitationView["status"] {
  if (row.acceptedAt) return "accepted";
  if (row.revokedAt) return "revoked";
  return row.expiresAt.getTime() <= now.getTime() ? "expired" : "pending";
}

function toView(row: Row, createdBy: string, now: Date): InvitationView {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    status: statusOf(row, now),
    createdBy,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    acceptedAt: row.acceptedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

async function emailsOf(userIds: string[]): Promise<Map<string, string>> {
  const users = await db().user.findMany({ where: { id: { in: [...new Set(userIds)] } }, select: { id: true, email: true } });
  return new Map(users.map((u) => [u.id, u.email]));
}

export async function createInvitation({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }): Promise<{ invitation: InvitationView; token: string; path: string }> {
  const { email, role, expiresInDays } = CreateInvitationInput.parse(input);
  if (SCOPE_RANK[ROLE_SCOPE[role]] > SCOPE_RANK[actor.scope]) {
    throw new AppError("FORBIDDEN", `You act with the "${actor.scope}" scope and cannot invite an ${role}. Invite with a role up to your own, or ask an owner.`, { field: "role" });
  }
  if (!actor.userId) throw new AppError("FORBIDDEN", "Only a member (signed in, or with a token a member created) can invite.");
  const member = await db().membership.findFirst({ where: { tenantId: actor.tenantId, user: { email } }, select: { role: true } });
  if (member) throw new AppError("CONFLICT", `${email} is already a member of "${actor.tenantName}" (${member.role}). Change their role on the Team page instead.`, { field: "email" });
  const token = INVITATION_PREFIX + randomBytes(32).toString("base64url");
  const row = await db().invitation.create({
    data: { tenantId: actor.tenantId, email, role, tokenHash: sha256Hex(token), createdById: actor.userId, createdAt: now, expiresAt: new Date(now.getTime() + expiresInDays * DAY_MS) },
  });
  await recordAuditEvent({ actor, action: "member.invited", target: `user:${email}`, detail: { role, expiresAt: row.expiresAt.toISOString() } });
  const createdBy = (await emailsOf([actor.userId])).get(actor.userId) ?? actor.userId;
  return { invitation: toView(row, createdBy, now), token, path: invitationPath(token) };
}

/** Pending invitations first, then the rest, newest first within each. */
export async function findInvitations({ actor, now = new Date() }: { actor: Actor; now?: Date }): Promise<InvitationView[]> {
  const rows = await db().invitation.findMany({ where: { tenantId: actor.tenantId }, orderBy: { createdAt: "desc" }, take: 200 });
  const emails = await emailsOf(rows.map((r) => r.createdById));
  const views = rows.map((r) => toView(r, emails.get(r.createdById) ?? "(former member)", now));
  return [...views.filter((v) => v.status === "pending"), ...views.filter((v) => v.status !== "pending")];
}

export async function revokeInvitation({ actor, id, now = new Date() }: { actor: Actor; id: string; now?: Date }): Promise<void> {
  const parsed = z.uuid().safeParse(id);
  const row = parsed.success ? await db().invitation.findFirst({ where: { id: parsed.data, tenantId: actor.tenantId }, select: { id: true, email: true, role: true } }) : null;
  if (!row) throw new AppError("NOT_FOUND", "Invitation not found. The Team page lists this tenant's invitations.");
  const { count } = await db().invitation.updateMany({ where: { id: row.id, acceptedAt: null, revokedAt: null }, data: { revokedAt: now } });
  if (count === 0) throw new AppError("CONFLICT", `The invitation for ${row.email} was already accepted or revoked.`);
  await recordAuditEvent({ actor, action: "member.invitation_revoked", target: `user:${row.email}`, detail: { role: row.role } });
}

export interface InvitationPreview {
  tenantName: string;
  email: string;
  role: Role;
  status: InvitationView["status"];
  expiresAt: string;
}

/** What the /invite/<token> page shows before accepting; null for a token that names no invitation. */
export async function previewInvitation({ token, now = new Date() }: { token: string; now?: Date }): Promise<InvitationPreview | null> {
  const row = await findByToken(token);
  if (!row) return null;
  return { tenantName: row.tenant.name, email: row.email, role: row.role as Role, status: statusOf(row, now), expiresAt: row.expiresAt.toISOString() };
}

async function findByToken(token: string) {
  if (!token.startsWith(INVITATION_PREFIX) || token.length > 100) return null;
  return db().invitation.findUnique({ where: { tokenHash: sha256Hex(token) }, include: { tenant: { select: { name: true } } } });
}

/**
 * The signed-in user accepts: they join the tenant with the invited role, and `sessionId` (the
 * console session accepting) switches to it.
 */
export async function acceptInvitation({ user, input, sessionId, ip, now = new Date() }: { user: { userId: string; email: string }; input: unknown; sessionId?: string; ip?: string | null; now?: Date }): Promise<{ tenant: string; role: Role }> {
  const { token } = AcceptInvitationInput.parse(input);
  const row = await findByToken(token);
  if (!row) throw new AppError("NOT_FOUND", "This invitation link is not valid. Ask for a new one.");
  const status = statusOf(row, now);
  if (status !== "pending") throw new AppError("CONFLICT", `This invitation was ${status}${status === "expired" ? ` on ${row.expiresAt.toISOString()}` : ""}. Ask an owner or admin of "${row.tenant.name}" for a new one.`);
  if (row.email !== user.email.toLowerCase()) {
    throw new AppError("FORBIDDEN", `This invitation is for ${row.email}; you are signed in as ${user.email}. Sign in (or sign up) with ${row.email} to accept it.`);
  }
  const role = row.role as Role;
  try {
    await db().$transaction(async (tx) => {
      const { count } = await tx.invitation.updateMany({ where: { id: row.id, acceptedAt: null, revokedAt: null }, data: { acceptedAt: now, acceptedById: user.userId } });
      if (count === 0) throw new AppError("CONFLICT", "This invitation was accepted or revoked a moment ago. Ask for a new one.");
      await tx.membership.create({ data: { tenantId: row.tenantId, userId: user.userId, role, createdAt: now } });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("CONFLICT", `You are already a member of "${row.tenant.name}". Switch to it with the tenant switcher.`);
    throw e;
  }
  if (sessionId) await db().session.updateMany({ where: { id: sessionId, userId: user.userId }, data: { tenantId: row.tenantId } });
  forgetCachedSessions({ userIds: [user.userId] });
  await recordAuditEvent({ actor: { tenantId: row.tenantId, userId: user.userId, ip }, action: "member.joined", target: `user:${row.email}`, detail: { role } });
  return { tenant: row.tenant.name, role };
}
