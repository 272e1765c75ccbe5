// The members of the actor's tenant: list, change a role, remove one, leave. Every change is read
// by the next request (sessions and tokens look the membership up each time, lib/auth), and this
// process's cached sessions of the member are forgotten so it applies here at once.
import { z } from "zod";
import type { MemberView } from "@/lib/api-shapes/team-shapes";
import type { Actor } from "@/lib/auth/actor";
import { ROLES, type Role } from "@/lib/auth/roles";
import { forgetCachedSessions } from "@/lib/auth/find-live-session";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { NUL_MESSAGE, noNul } from "@/lib/text/nul";
import { lockOwners } from "./last-owner";

export const ChangeRoleInput = z.object({ role: z.enum(ROLES, { message: `role must be one of: ${ROLES.join(", ")}` }) });
/** Leaving is confirmed by naming the tenant, as the console's dialog asks. */
export const LeaveTenantInput = z.object({ tenant: z.string().trim().toLowerCase().min(1, "Type the tenant's name to confirm").max(64).refine(noNul, NUL_MESSAGE) });

type Row = { userId: string; role: string; createdAt: Date; user: { email: string } };
const toView = (m: Row, actor: Actor): MemberView => ({ userId: m.userId, email: m.user.email, role: m.role, joinedAt: m.createdAt.toISOString(), you: m.userId === actor.userId });
const SELECT = { userId: true, role: true, createdAt: true, user: { select: { email: true } } } as const;

export async function findMembers({ actor }: { actor: Actor }): Promise<MemberView[]> {
  const rows = await db().membership.findMany({ where: { tenantId: actor.tenantId }, select: SELECT, orderBy: { createdAt: "asc" } });
  return rows.map((m) => toView(m, actor));
}

/** A member of the actor's tenant by user id; another tenant's member (or a bad id) is NOT_FOUND. */
async function findMemberOrThrow(tx: Pick<ReturnType<typeof db>, "membership">, actor: Actor, userId: string): Promise<Row> {
  const id = z.uuid().safeParse(userId);
  const row = id.success ? await tx.membership.findUnique({ where: { tenantId_userId: { tenantId: actor.tenantId, userId: id.data } }, select: SELECT }) : null;
  if (!row) throw new AppError("NOT_FOUND", "No such member in this tenant. The member list shows who belongs to it.");
  return row;
}

export async function changeMemberRole({ actor, userId, input }: { actor: Actor; userId: string; input: unknown }): Promise<MemberView> {
  const { role } = ChangeRoleInput.parse(input);
  const { before, after } = await db().$transaction(async (tx) => {
    const owners = await lockOwners(tx, actor.tenantId);
    const member = await findMemberOrThrow(tx, actor, userId);
    if (member.role === "owner" && role !== "owner" && owners.length <= 1) {
      throw new AppError("CONFLICT", `${member.user.email} is the last owner of "${actor.tenantName}": make another member an owner first.`, { field: "role" });
    }
    const after = await tx.membership.update({ where: { tenantId_userId: { tenantId: actor.tenantId, userId: member.userId } }, data: { role }, select: SELECT });
    return { before: member, after };
  });
  forgetCachedSessions({ userIds: [after.userId] });
  if (before.role !== role) await recordAuditEvent({ actor, action: "member.role_changed", target: `user:${after.user.email}`, detail: { from: before.role, to: role } });
  return toView(after, actor);
}

export async function removeMember({ actor, userId }: { actor: Actor; userId: string }): Promise<void> {
  const removed = await deleteMembership(actor, userId);
  await recordAuditEvent({ actor, action: removed.userId === actor.userId ? "member.left" : "member.removed", target: `user:${removed.user.email}`, detail: { role: removed.role } });
}

/** The signed-in member leaves the current tenant (their session then has no role there until they switch). */
export async function leaveTenant({ actor, input }: { actor: Actor; input: unknown }): Promise<void> {
  if (!actor.userId || actor.tokenId) throw new AppError("FORBIDDEN", "Leave a tenant from the console, signed in as yourself: an API token cannot.");
  const { tenant } = LeaveTenantInput.parse(input);
  if (tenant !== actor.tenantName) throw new AppError("BAD_REQUEST", `Type the tenant's name, "${actor.tenantName}", to confirm you are leaving it.`, { field: "tenant" });
  const left = await deleteMembership(actor, actor.userId);
  await recordAuditEvent({ actor, action: "member.left", target: `user:${left.user.email}`, detail: { role: left.role } });
}

async function deleteMembership(actor: Actor, userId: string): Promise<Row> {
  const removed = await db().$transaction(async (tx) => {
    const owners = await lockOwners(tx, actor.tenantId);
    const member = await findMemberOrThrow(tx, actor, userId);
    if (member.role === "owner" && owners.length <= 1) {
      const who = member.userId === actor.userId ? "You are" : `${member.user.email} is`;
      throw new AppError("CONFLICT", `${who} the last owner of "${actor.tenantName}" and cannot leave: make another member an owner first.`);
    }
    await tx.membership.delete({ where: { tenantId_userId: { tenantId: actor.tenantId, userId: member.userId } } });
    return member;
  });
  forgetCachedSessions({ userIds: [removed.userId] });
  return removed;
}

export type { Role };
