// Deletes one saved preview request by name; a name that is not saved is NOT_FOUND.
import { AppError } from "@/lib/errors";
import { db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { findAppOrThrow } from "@/lib/apps/find-app";

export async function deleteSavedRequest({ actor, appName, name }: { actor: Pick<Actor, "tenantId">; appName: string; name: string }): Promise<void> {
  const app = await findAppOrThrow({ actor, name: appName });
  const { count } = await db().savedRequest.deleteMany({ where: { appId: app.id, tenantId: actor.tenantId, name } });
  if (count === 0) throw new AppError("NOT_FOUND", `No saved request named "${name}" in "${appName}".`);
}
