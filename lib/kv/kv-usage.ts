// What an app's stores hold (live keys, key + value bytes), for quota checks. Counting is an
// aggregate over the app's entries, so the gateway keeps a short-lived copy per app and adds
// its own writes to it: a request costs no aggregate while the copy is fresh. Another gateway's
// writes show up within `maxAgeMs`; docs/kv.md says what that allows.
import { readAppUsage, type KvSql } from "./kv-entries";

/** A write refused by a quota; the message names the limit (the guest sees it in its logs). */
export class KvQuotaExceeded extends Error {
  constructor(message: string) {
    super(`quota exceeded: ${message}`);
    this.name = "KvQuotaExceeded";
  }
}

export interface KvUsageTracker {
  read(appId: string): Promise<{ keys: number; bytes: number }>;
  adjust(appId: string, keys: number, bytes: number): void;
}

export function createKvUsageTracker(db: KvSql, { maxAgeMs = 2000, maxApps = 10_000 } = {}): KvUsageTracker {
  const cache = new Map<string, { at: number; usage: Promise<{ keys: number; bytes: number }> }>();
  return {
    read(appId) {
      const hit = cache.get(appId);
      if (hit && performance.now() - hit.at < maxAgeMs) return hit.usage;
      if (cache.size >= maxApps) cache.delete(cache.keys().next().value!);
      const usage = readAppUsage(db, appId);
      usage.catch(() => cache.delete(appId));
      cache.set(appId, { at: performance.now(), usage });
      return usage;
    },
    adjust(appId, keys, bytes) {
      const hit = cache.get(appId);
      if (!hit || (keys === 0 && bytes === 0)) return;
      hit.usage = hit.usage.then((u) => ({ keys: Math.max(0, u.keys + keys), bytes: Math.max(0, u.bytes + bytes) }));
    },
  };
}
