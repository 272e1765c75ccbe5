// The gateway's datastore: for each deployment, a `KvAccess` bound to its app (the store is
// chosen here from the deployment's tenant and app, never by the guest), opening one
// KvRequestSession per request. Also sweeps expired entries now and then.
import { sharedConfig } from "@/lib/config/shared-config";
import type { Db } from "@/lib/db/client";
import type { KvAccess } from "@/lib/deployment-record/ports";
import { analyzeEntriesIfStale, deleteExpiredEntries } from "./kv-entries";
import { pgSql, prismaSql, type KvSql } from "./kv-sql";
import { DEFAULT_STORE, type KvQuotas } from "./kv-schemas";
import { configuredKvQuotas } from "./kv-quota";
import { KvRequestSession } from "./kv-session";
import { createKvUsageTracker } from "./kv-usage";
import { ensureStore } from "./find-kv-store";

export interface KvGateway {
  forApp(app: { tenantId: string; appId: string }): KvAccess;
  close(): void;
}

export function createKvAccess(options: {
  db: Db;
  /**
   * When set (default: DATABASE_URL), guest calls go through a plain `pg` pool on it: ~9× less
   * time per statement than Prisma's raw queries (lib/kv/kv-sql.ts). Must be `db`'s database.
   */
  databaseUrl?: string;
  quotas?: KvQuotas;
  sweepMs?: number;
  usageMaxAgeMs?: number;
}): KvGateway {
  const { db } = options;
  const url = options.databaseUrl ?? sharedConfig().DATABASE_URL;
  const pool = url ? pgSql(url) : null;
  const sql: KvSql = pool ?? prismaSql(db);
  const quotas = options.quotas ?? configuredKvQuotas();
  const usage = createKvUsageTracker(sql, { maxAgeMs: options.usageMaxAgeMs });
  const stores = new Map<string, Promise<string>>();

  const storeIdOf = (tenantId: string, appId: string): Promise<string> => {
    let id = stores.get(appId);
    if (!id) {
      if (stores.size > 10_000) stores.clear();
      id = ensureStore(db, { tenantId, appId, name: DEFAULT_STORE }).then((s) => s.id);
      id.catch(() => stores.delete(appId));
      stores.set(appId, id);
    }
    return id;
  };

  const sweepMs = options.sweepMs ?? 60_000;
  const sweep = setInterval(() => {
    deleteExpiredEntries(sql, { limit: 10_000, graceSeconds: 60 })
      // Keeps key listings on their index on the embedded database, which has no autovacuum.
      .then(() => analyzeEntriesIfStale(sql))
      .catch(() => {
        // The database is away: the next sweep tries again; reads never see expired keys anyway.
      });
  }, sweepMs);
  sweep.unref();

  return {
    forApp({ tenantId, appId }) {
      let storeId: Promise<string> | undefined;
      return {
        open: () =>
          new KvRequestSession(sql, () => (storeId ??= storeIdOf(tenantId, appId)), appId, quotas, usage),
      };
    },
    close: () => {
      clearInterval(sweep);
      void pool?.close();
    },
  };
}
