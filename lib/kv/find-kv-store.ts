// The one scoped way to a store: through the acting tenant's app (another tenant's app is "not
// found", like one that does not exist). Stores are created on first use.
import type { Actor } from "@/lib/auth/actor";
import { findAppOrThrow } from "@/lib/apps/find-app";
import { db as defaultDb, isUniqueViolation, type Db } from "@/lib/db/client";
import { DEFAULT_STORE } from "./kv-schemas";

export interface KvStoreRef {
  id: string;
  appId: string;
  tenantId: string;
  name: string;
}

/** The store of an app by name, created if missing (the app is trusted: the caller scoped it). */
export async function ensureStore(db: Db, { tenantId, appId, name }: { tenantId: string; appId: string; name: string }): Promise<KvStoreRef> {
  const where = { appId_name: { appId, name } };
  const found = await db.kvStore.findUnique({ where });
  if (found) return found;
  try {
    return await db.kvStore.create({ data: { tenantId, appId, name } });
  } catch (e) {
    if (isUniqueViolation(e)) return (await db.kvStore.findUnique({ where }))!;
    throw e;
  }
}

export async function findKvStore({ actor, appName, store = DEFAULT_STORE }: { actor: Pick<Actor, "tenantId">; appName: string; store?: string }): Promise<KvStoreRef> {
  const app = await findAppOrThrow({ actor, name: appName });
  return ensureStore(defaultDb(), { tenantId: actor.tenantId, appId: app.id, name: store });
}
