// A user's membership of a tenant named by its name, for a sign-in that picks its tenant
// (POST /login with `tenant`, `wasmcompute login --tenant NAME`).
import { AppError } from "@/lib/errors";
import { db } from "@/lib/db/client";
import { isRole, type Role } from "./roles";

export async function findMembershipForLogin({ userId, tenantName }: { userId: string; tenantName: string }): Promise<{ tenantId: string; tenantName: string; role: Role }> {
  const row = await db().membership.findFirst({ where: { userId, tenant: { name: tenantName } }, select: { tenantId: true, role: true, tenant: { select: { name: true } } } });
  if (!row || !isRole(row.role)) {
    const mine = await db().membership.findMany({ where: { userId }, select: { tenant: { select: { name: true } } } });
    const list = mine.map((m) => m.tenant.name).join(", ");
    throw new AppError("FORBIDDEN", `You are not a member of the tenant "${tenantName}".${list ? ` Your tenants: ${list}.` : ""}`, { field: "tenant" });
  }
  return { tenantId: row.tenantId, tenantName: row.tenant.name, role: row.role };
}
