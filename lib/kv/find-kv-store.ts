// The one scoped way to a store: through the acting tenant's app (another tenant's app is "not
// found", like one that does not exist). Stores are created on first use.
import type { Actor } from "@/lib/auth/actor";
import { findAppOrThrow } from "@/lib/apps/find-app";
import { db as defaultDb, isUniqueViolation, type Db } from "@/lib/db/client";
import { z } from "zod";
import { DEFAULT_STORE, KvKey, KvStoreName } from "./kv-schemas";

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

export async function findKvStore({ actor, appName, store }: { actor: Pick<Actor, "tenantId">; appName: string; store?: string | null }): Promise<KvStoreRef> {
  const app = await findAppOrThrow({ actor, name: appName });
  const name = z.object({ store: KvStoreName }).parse({ store: store ?? DEFAULT_STORE }).store;
  return ensureStore(defaultDb(), { tenantId: actor.tenantId, appId: app.id, name });
}

/**
 * Scope first, then validate: another tenant's app is a 404 whatever else is wrong with the
 * request (so nothing about it can be probed), and only then are the store name and key checked.
 */
export async function findKvKey({ actor, appName, store, key }: { actor: Pick<Actor, "tenantId">; appName: string; store?: string | null; key: string | null }): Promise<{ ref: KvStoreRef; key: string }> {
  const app = await findAppOrThrow({ actor, name: appName });
  const name = z.object({ store: KvStoreName }).parse({ store: store ?? DEFAULT_STORE }).store;
  const parsedKey = z.object({ key: KvKey }).parse({ key: key ?? "" }).key;
  return { ref: await ensureStore(defaultDb(), { tenantId: actor.tenantId, appId: app.id, name }), key: parsedKey };
}
