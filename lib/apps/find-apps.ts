import { db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { APP_VIEW_INCLUDE, toAppView, type AppView } from "./app-view";
import { findAppOrThrow } from "./find-app";

export async function findApps({ actor }: { actor: Actor }): Promise<AppView[]> {
  const apps = await db().app.findMany({ where: { tenantId: actor.tenantId }, include: APP_VIEW_INCLUDE, orderBy: { name: "asc" } });
  return apps.map((app) => toAppView(actor.tenantName, app));
}

export async function getApp({ actor, name }: { actor: Actor; name: string }): Promise<AppView> {
  const app = await findAppOrThrow({ actor, name });
  const full = await db().app.findUniqueOrThrow({ where: { id: app.id }, include: APP_VIEW_INCLUDE });
  return toAppView(actor.tenantName, full);
}
