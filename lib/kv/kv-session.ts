// One guest request's view of its app's store (the gateway side of lib/runtime/kv-bridge.ts).
//
// Writes (set, delete) are buffered and committed in ONE statement after the guest finished
// successfully, before the response leaves the gateway: a request that traps or times out
// leaves nothing, and a multi-key write is all or nothing. Reads see the request's own pending
// writes first. increment and compare-and-set cannot wait for the end (the guest needs their
// result, and they must be atomic against every other request), so they run at once in one
// statement each and are durable when they return, whatever the request does next; on a key
// this request has already written (buffered) they apply to that buffered value instead.
// docs/kv.md explains the trade-off.
import { KvQuotaExceeded, type KvUsageTracker } from "./kv-usage";
import { applyWrites, compareAndSetEntry, incrementEntry, KvNotAnInteger, listKeys, readSizes, readValue, type KvSql, type KvWrite } from "./kv-entries";
import type { KvQuotas } from "./kv-schemas";
import type { KvSession } from "@/lib/deployment-record/ports";

const encoder = new TextEncoder();
const utf8Length = (s: string) => encoder.encode(s).length;

type Pending = { value: Uint8Array; ttlSeconds?: number } | { deleted: true };

/** Byte order of UTF-8, the order PostgreSQL's C.UTF-8 collation and the API use. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

export class KvRequestSession implements KvSession {
  private readonly pending = new Map<string, Pending>();
  /** Size (key + value) each touched key had in the database before this request; null: absent. */
  private readonly stored = new Map<string, number | null>();
  private keysDelta = 0;
  private bytesDelta = 0;
  private done = false;

  constructor(
    private readonly db: KvSql,
    private readonly storeId: () => Promise<string>,
    private readonly appId: string,
    private readonly quotas: KvQuotas,
    private readonly usage: KvUsageTracker,
  ) {}

  async get(key: string): Promise<Uint8Array | null> {
    const mine = this.pending.get(key);
    if (mine) return "deleted" in mine ? null : mine.value;
    const value = await readValue(this.db, await this.storeId(), key);
    this.stored.set(key, value ? utf8Length(key) + value.length : null);
    return value;
  }

  async set(key: string, value: Uint8Array, ttlSeconds?: number): Promise<void> {
    this.assertOpen();
    if (value.length > this.quotas.maxValueBytes) {
      throw new KvQuotaExceeded(`the value of "${key}" is ${value.length} bytes, over the app's limit of ${this.quotas.maxValueBytes} bytes per value`);
    }
    const before = await this.currentSize(key);
    const after = utf8Length(key) + value.length;
    await this.admit(before === null ? 1 : 0, after - (before ?? 0), key);
    this.pending.set(key, ttlSeconds === undefined ? { value } : { value, ttlSeconds });
  }

  async delete(key: string): Promise<boolean> {
    this.assertOpen();
    const before = await this.currentSize(key);
    if (before !== null) {
      this.keysDelta -= 1;
      this.bytesDelta -= before;
    }
    this.pending.set(key, { deleted: true });
    return before !== null;
  }

  async list(prefix: string, after: string | undefined, limit: number): Promise<{ keys: string[]; more: boolean }> {
    // Deleted keys may fill part of a page: fetch enough to still fill it.
    const deleted = [...this.pending].filter(([k, p]) => "deleted" in p && k.startsWith(prefix)).length;
    const fetchLimit = limit + deleted + 1;
    const rows = await listKeys(this.db, await this.storeId(), { prefix, after, limit: fetchLimit });
    const full = rows.length === fetchLimit;
    const last = rows.at(-1)?.key;
    const keys = new Set(rows.map((r) => r.key));
    for (const [key, p] of this.pending) {
      if (!key.startsWith(prefix) || (after !== undefined && compareKeys(key, after) <= 0)) continue;
      if ("deleted" in p) keys.delete(key);
      // Past the last fetched key, a pending key belongs to a later page.
      else if (!full || compareKeys(key, last!) <= 0) keys.add(key);
    }
    const sorted = [...keys].sort(compareKeys);
    return { keys: sorted.slice(0, limit), more: sorted.length > limit || full };
  }

  async increment(key: string, by: bigint): Promise<bigint> {
    this.assertOpen();
    const mine = this.pending.get(key);
    if (mine) {
      const current = "deleted" in mine ? 0n : parseInteger(key, mine.value);
      const next = current + by;
      if (next > 9223372036854775807n || next < -9223372036854775808n) throw new Error(`incrementing "${key}" overflows a 64-bit integer`);
      await this.set(key, encoder.encode(next.toString()), "deleted" in mine ? undefined : mine.ttlSeconds);
      return next;
    }
    await this.admitImmediate(key, 20);
    const result = await incrementEntry(this.db, await this.storeId(), key, by);
    const size = utf8Length(key) + result.value.toString().length;
    this.usage.adjust(this.appId, result.previousSize === null ? 1 : 0, size - (result.previousSize === null ? 0 : utf8Length(key) + result.previousSize));
    this.stored.set(key, size);
    return result.value;
  }

  async compareAndSet(key: string, expected: Uint8Array | null, value: Uint8Array, ttlSeconds?: number): Promise<boolean> {
    this.assertOpen();
    if (value.length > this.quotas.maxValueBytes) {
      throw new KvQuotaExceeded(`the value of "${key}" is ${value.length} bytes, over the app's limit of ${this.quotas.maxValueBytes} bytes per value`);
    }
    const mine = this.pending.get(key);
    if (mine) {
      const current = "deleted" in mine ? null : mine.value;
      if ((current === null) !== (expected === null) || (current && expected && Buffer.compare(current, expected) !== 0)) return false;
      await this.set(key, value, ttlSeconds);
      return true;
    }
    await this.admitImmediate(key, value.length);
    const wrote = await compareAndSetEntry(this.db, await this.storeId(), key, expected, value, ttlSeconds);
    if (wrote) {
      const keyBytes = utf8Length(key);
      this.usage.adjust(this.appId, expected === null ? 1 : 0, keyBytes + value.length - (expected === null ? 0 : keyBytes + expected.length));
      this.stored.set(key, keyBytes + value.length);
    }
    return wrote;
  }

  async commit(): Promise<void> {
    this.assertOpen();
    this.done = true;
    if (this.pending.size === 0) return;
    const writes: KvWrite[] = [...this.pending].map(([key, p]) =>
      "deleted" in p ? { key, delete: true } : p.ttlSeconds === undefined ? { key, value: p.value } : { key, value: p.value, ttlSeconds: p.ttlSeconds },
    );
    await applyWrites(this.db, await this.storeId(), writes);
    this.usage.adjust(this.appId, this.keysDelta, this.bytesDelta);
  }

  discard(): void {
    this.done = true;
    this.pending.clear();
  }

  /** The key's size as this request sees it now (pending writes first); null when absent. */
  private async currentSize(key: string): Promise<number | null> {
    const mine = this.pending.get(key);
    if (mine) return "deleted" in mine ? null : utf8Length(key) + mine.value.length;
    if (!this.stored.has(key)) {
      const sizes = await readSizes(this.db, await this.storeId(), [key]);
      this.stored.set(key, sizes.get(key) ?? null);
    }
    return this.stored.get(key)!;
  }

  /** Accepts a buffered change of `keys`/`bytes` or throws the quota it would break. */
  private async admit(keys: number, bytes: number, key: string): Promise<void> {
    const base = await this.usage.read(this.appId);
    const nextKeys = base.keys + this.keysDelta + keys;
    const nextBytes = base.bytes + this.bytesDelta + bytes;
    if (keys > 0 && nextKeys > this.quotas.maxKeys) {
      throw new KvQuotaExceeded(`writing "${key}" would make ${nextKeys} keys, over the app's limit of ${this.quotas.maxKeys} keys`);
    }
    if (bytes > 0 && nextBytes > this.quotas.maxTotalBytes) {
      throw new KvQuotaExceeded(`writing "${key}" would make ${nextBytes} bytes, over the app's limit of ${this.quotas.maxTotalBytes} bytes in total`);
    }
    this.keysDelta += keys;
    this.bytesDelta += bytes;
  }

  /**
   * Quota check before an immediate write of at most `valueBytes`: exact near the limits (it
   * looks the key up), free far from them, so a hot counter costs one statement.
   */
  private async admitImmediate(key: string, valueBytes: number): Promise<void> {
    const base = await this.usage.read(this.appId);
    const worst = utf8Length(key) + valueBytes;
    const keysNear = base.keys + this.keysDelta + 1 > this.quotas.maxKeys;
    const bytesNear = base.bytes + this.bytesDelta + worst > this.quotas.maxTotalBytes;
    if (!keysNear && !bytesNear) return;
    const before = await this.currentSize(key);
    if (before === null && keysNear) {
      throw new KvQuotaExceeded(`creating "${key}" would go over the app's limit of ${this.quotas.maxKeys} keys`);
    }
    if (bytesNear && worst > (before ?? 0)) {
      throw new KvQuotaExceeded(`writing "${key}" would go over the app's limit of ${this.quotas.maxTotalBytes} bytes in total`);
    }
  }

  private assertOpen(): void {
    if (this.done) throw new Error("this request's key-value session is closed");
  }
}

function parseInteger(key: string, value: Uint8Array): bigint {
  const text = new TextDecoder().decode(value).trim();
  if (!/^[+-]?\d{1,19}$/.test(text)) throw new KvNotAnInteger(key);
  return BigInt(text);
}
