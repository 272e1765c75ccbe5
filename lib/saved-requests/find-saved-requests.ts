// Lists an app's saved preview requests, by name.
import { db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { findAppOrThrow } from "@/lib/apps/find-app";
import { toSavedRequestView } from "./saved-request-view";
import type { SavedRequestView } from "./saved-request-schemas";

export async function findSavedRequests({ actor, appName }: { actor: Pick<Actor, "tenantId">; appName: string }): Promise<SavedRequestView[]> {
  const app = await findAppOrThrow({ actor, name: appName });
  const rows = await db().savedRequest.findMany({ where: { appId: app.id, tenantId: actor.tenantId }, orderBy: { name: "asc" } });
  return rows.map(toSavedRequestView);
}
