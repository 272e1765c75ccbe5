// The signed-in user's tenants, and switching the tenant their console session acts in.
import { z } from "zod";
import type { MyTenantView } from "@/lib/api-shapes/team-shapes";
import { forgetCachedSessions } from "@/lib/auth/find-live-session";
import type { Role } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { NUL_MESSAGE, noNul } from "@/lib/text/nul";

export const SwitchTenantInput = z.object({ tenant: z.string().trim().toLowerCase().min(1, "Name the tenant to switch to").max(64).refine(noNul, NUL_MESSAGE) });

interface SessionUserLike {
  userId: string;
  sessionId: string;
  tenantId: string;
  tenants: { tenantId: string; tenantName: string; role: Role }[];
}

export function listMyTenants({ user }: { user: SessionUserLike }): MyTenantView[] {
  return user.tenants.map((t) => ({ name: t.tenantName, role: t.role, current: t.tenantId === user.tenantId }));
}

export async function switchTenant({ user, input }: { user: SessionUserLike; input: unknown }): Promise<{ tenant: string; role: Role }> {
  const { tenant } = SwitchTenantInput.parse(input);
  const target = user.tenants.find((t) => t.tenantName === tenant);
  if (!target) {
    throw new AppError("NOT_FOUND", `You are not a member of a tenant "${tenant}". Your tenants: ${user.tenants.map((t) => t.tenantName).join(", ") || "none"}.`, { field: "tenant" });
  }
  await db().session.updateMany({ where: { id: user.sessionId, userId: user.userId }, data: { tenantId: target.tenantId } });
  forgetCachedSessions({ sessionIds: [user.sessionId] });
  return { tenant: target.tenantName, role: target.role };
}
