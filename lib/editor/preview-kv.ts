// The preview's key-value data: a copy of the app's `default` store taken through the public REST
// API (GET /apps/{app}/kv, /kv/entry?raw=1) when the preview starts. Preview runs read and write
// only this copy; `pushKvChanges` is the one path that writes production, and only the keys whose
// copy differs from what was taken (set) or that the preview deleted.

/** How much of the store the tab takes: enough for development data, never a whole production store. */
export const PREVIEW_KV_LIMITS = { maxKeys: 1000, maxBytes: 5 * 1024 * 1024 } as const;
/** Values fetched at once while copying. */
const COPY_CONCURRENCY = 6;

export type KvEntries = Record<string, Uint8Array>;

/** Same-origin call to /api/v1 (the console's session cookie authenticates); tests pass a token client. */
export type ApiFetch = (path: string, init?: RequestInit) => Promise<Response>;

export const browserApiFetch: ApiFetch = (path, init) => fetch(`/api/v1${path}`, init);

export interface KvCopy {
  /** As taken from the server: what pushes are computed against. */
  base: KvEntries;
  /** Keys in the store when copied (a lower bound when truncated). */
  serverKeys: number;
  /** Set when the store had more than the limits allowed: what was left out. */
  truncated: string | null;
  copiedAt: string;
}

export interface KvChanges {
  /** Keys added or changed by the preview. */
  set: string[];
  /** Keys the preview deleted (present in the copy as taken, absent now). */
  del: string[];
}

async function failure(res: Response, what: string): Promise<Error> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return new Error(`${what}: ${body?.error?.message ?? `HTTP ${res.status}`}`);
}

const kvPath = (app: string, rest: string) => `/apps/${encodeURIComponent(app)}/kv${rest}`;
const entryPath = (app: string, key: string) => kvPath(app, `/entry?key=${encodeURIComponent(key)}`);

/**
 * Copies the app's default store: key pages in byte order until the limits (keys, and bytes of keys
 * plus values as listed), then each value. Keys that expire are copied without their expiry.
 */
export async function copyKvFromServer({
  appName,
  api = browserApiFetch,
  limits = PREVIEW_KV_LIMITS,
}: {
  appName: string;
  api?: ApiFetch;
  limits?: { maxKeys: number; maxBytes: number };
}): Promise<KvCopy> {
  const keys: string[] = [];
  let bytes = 0;
  let cursor: string | null = null;
  let truncated: string | null = null;
  let seen = 0;
  pages: do {
    const res = await api(kvPath(appName, `?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`));
    if (!res.ok) throw await failure(res, "Could not list the app's keys");
    const page = (await res.json()) as { keys: { key: string; size: number }[]; nextCursor: string | null };
    for (const { key, size } of page.keys) {
      seen++;
      const cost = new TextEncoder().encode(key).length + size;
      if (keys.length >= limits.maxKeys || bytes + cost > limits.maxBytes) {
        truncated =
          keys.length >= limits.maxKeys
            ? `Copied the first ${keys.length.toLocaleString()} keys (the preview's limit); the rest are not in the preview.`
            : `Copied ${keys.length.toLocaleString()} keys (${formatBytes(bytes)}): the next would pass the preview's ${formatBytes(limits.maxBytes)}; the rest are not in the preview.`;
        break pages;
      }
      keys.push(key);
      bytes += cost;
    }
    cursor = page.nextCursor;
  } while (cursor);

  const base: KvEntries = {};
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++]!;
      const res = await api(`${entryPath(appName, key)}&raw=1`);
      // Deleted or expired since the listing: simply not in the copy.
      if (res.status === 404) continue;
      if (!res.ok) throw await failure(res, `Could not read "${key}"`);
      base[key] = new Uint8Array(await res.arrayBuffer());
    }
  };
  await Promise.all(Array.from({ length: Math.min(COPY_CONCURRENCY, keys.length) }, worker));
  return { base, serverKeys: seen, truncated, copiedAt: new Date().toISOString() };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** What differs between the copy as taken and as the preview left it, keys sorted. */
export function diffKv(base: KvEntries, current: KvEntries): KvChanges {
  const set = Object.keys(current).filter((k) => !(k in base) || !sameBytes(base[k]!, current[k]!));
  const del = Object.keys(base).filter((k) => !(k in current));
  return { set: set.sort(), del: del.sort() };
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/**
 * Writes the preview's changes to production through the API: PUT for each changed key (as base64,
 * without a TTL), DELETE for each deleted one (already gone counts as done). Stops at the first
 * failure and says which keys were written, so nothing is reported as pushed that was not.
 */
export async function pushKvChanges({ appName, current, changes, api = browserApiFetch }: { appName: string; current: KvEntries; changes: KvChanges; api?: ApiFetch }): Promise<{ set: number; deleted: number }> {
  let set = 0;
  let deleted = 0;
  const done = () => `${set} set and ${deleted} deleted before it`;
  for (const key of changes.set) {
    const value = current[key];
    if (!value) continue;
    const res = await api(entryPath(appName, key), { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ value: toBase64(value), encoding: "base64" }) });
    if (!res.ok) throw await failure(res, `Pushing "${key}" failed (${done()})`);
    set++;
  }
  for (const key of changes.del) {
    const res = await api(entryPath(appName, key), { method: "DELETE" });
    if (!res.ok && res.status !== 404) throw await failure(res, `Deleting "${key}" failed (${done()})`);
    deleted++;
  }
  return { set, deleted };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function sizeOf(entries: KvEntries): number {
  let n = 0;
  for (const [k, v] of Object.entries(entries)) n += new TextEncoder().encode(k).length + v.length;
  return n;
}
