// The one scoped lookup every app operation goes through: another tenant's app is "not found",
// exactly like an app that does not exist, so tenants cannot probe for each other's names.
import { AppError } from "@/lib/errors";
import { db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";

export async function findAppOrThrow({ actor, name }: { actor: Pick<Actor, "tenantId">; name: string }) {
  const app = await db().app.findUnique({ where: { tenantId_name: { tenantId: actor.tenantId, name } } });
  if (!app) throw new AppError("NOT_FOUND", `App "${name}" not found.`);
  return app;
}
