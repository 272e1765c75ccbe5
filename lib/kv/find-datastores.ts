// Every app's key-value stores of a tenant with what they hold (live keys and their bytes: key +
// value, as the quotas count them), for the Datastores list. An app without a store yet is listed
// with none: its first write creates "default".
import type { Actor } from "@/lib/auth/actor";
import { apiSql } from "./kv-sql";
import { configuredKvQuotas } from "./kv-quota";
import type { KvQuotas } from "./kv-schemas";

export interface DatastoreSummary {
  name: string;
  keys: number;
  bytes: number;
}

export interface AppDatastores {
  app: string;
  stores: DatastoreSummary[];
  /** The app's totals, which its quotas cap. */
  keys: number;
  bytes: number;
}

export async function findDatastores({ actor }: { actor: Pick<Actor, "tenantId"> }): Promise<{ apps: AppDatastores[]; quotas: KvQuotas }> {
  const rows = await apiSql().query<{ app: string; store: string | null; keys: number; bytes: string | number | bigint }>(
    `SELECT a.name AS app, s.name AS store, count(e.key)::int AS keys,
            coalesce(sum(octet_length(e.key) + octet_length(e.value)), 0)::bigint AS bytes
     FROM "App" a
     LEFT JOIN "KvStore" s ON s."appId" = a.id
     LEFT JOIN "KvEntry" e ON e."storeId" = s.id AND (e."expiresAt" IS NULL OR e."expiresAt" > (now() AT TIME ZONE 'UTC'))
     WHERE a."tenantId" = $1::uuid
     GROUP BY a.name, s.name
     ORDER BY a.name, s.name`,
    [actor.tenantId],
  );
  const apps = new Map<string, AppDatastores>();
  for (const row of rows) {
    const app = apps.get(row.app) ?? { app: row.app, stores: [], keys: 0, bytes: 0 };
    apps.set(row.app, app);
    if (row.store === null) continue;
    const store = { name: row.store, keys: Number(row.keys), bytes: Number(row.bytes) };
    app.stores.push(store);
    app.keys += store.keys;
    app.bytes += store.bytes;
  }
  return { apps: [...apps.values()], quotas: configuredKvQuotas() };
}
