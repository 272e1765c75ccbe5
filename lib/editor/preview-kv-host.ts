// The preview's key-value host: the tab's copy of the app's store (lib/editor/preview-kv.ts) behind
// every kv import the gateway offers (lib/runtime/kv-bridge.ts GuestKv), for one run in the worker.
import { KvConflict, type KvHost } from "@/lib/wasm";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const byteOrder = (a: string, b: string) => {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
};
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * The preview's copy of the store, with every import the gateway offers (lib/runtime/kv-bridge.ts
 * GuestKv). A TTL is accepted and ignored: the copy lives for one editor session.
 */
export function memoryKv(initial: Record<string, Uint8Array>): { host: KvHost; snapshot(): Record<string, Uint8Array> } {
  const store = new Map(Object.entries(initial));
  return {
    host: {
      get: (k) => store.get(k) ?? null,
      set: (k, v) => void store.set(k, v.slice()),
      setWithTtl: (k, v) => void store.set(k, v.slice()),
      delete: (k) => store.delete(k),
      list: (prefix) => [...store.keys()].filter((k) => k.startsWith(prefix)),
      increment(k, by) {
        const current = store.get(k);
        const text = current ? decoder.decode(current).trim() : "0";
        if (!/^-?\d+$/.test(text)) throw new KvConflict(`kv_incr: the value of "${k}" is not a decimal integer`);
        const next = BigInt(text) + by;
        store.set(k, encoder.encode(next.toString()));
        return next;
      },
      compareAndSet(k, expected, value) {
        const current = store.get(k) ?? null;
        if (expected === null ? current !== null : current === null || !sameBytes(current, expected)) return false;
        store.set(k, value.slice());
        return true;
      },
      listPage(prefix, after, limit) {
        const keys = [...store.keys()].filter((k) => k.startsWith(prefix) && (after === undefined || byteOrder(k, after) > 0)).sort(byteOrder);
        return { keys: keys.slice(0, limit), more: keys.length > limit };
      },
    },
    snapshot: () => Object.fromEntries(store),
  };
}

