// The key-value datastore's vocabulary: keys, store names, quotas and the REST inputs, as zod
// schemas with their inferred types. Shared by the REST API, the console, the CLI and the
// gateway's guest bridge, so a key valid in one place is valid everywhere.
import { z } from "zod";

/** Longest key, in UTF-8 bytes (the guest ABI's limit, docs/abi.md). */
export const KV_MAX_KEY_BYTES = 1024;
/** The store an app's guests use; the API may name others. */
export const DEFAULT_STORE = "default";

const encoder = new TextEncoder();

/** Why a key is invalid, or null when it is fine. Keys are 1–1024 bytes of UTF-8 without "\n". */
export function keyProblem(key: string): string | null {
  if (key.length === 0) return "A key cannot be empty.";
  if (key.includes("\n")) return "A key cannot contain a line break.";
  if (/[\uD800-\uDFFF]/.test(key.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ""))) return "A key must be valid UTF-8 text.";
  if (key.includes("\0")) return "A key cannot contain a NUL character.";
  if (encoder.encode(key).length > KV_MAX_KEY_BYTES) return `A key is at most ${KV_MAX_KEY_BYTES} bytes of UTF-8.`;
  return null;
}

export const KvKey = z.string().superRefine((key, ctx) => {
  const problem = keyProblem(key);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** A prefix is a key that may be empty (the empty prefix lists everything). */
export const KvPrefix = z.string().max(KV_MAX_KEY_BYTES).refine((p) => p === "" || keyProblem(p) === null, "A prefix follows the rules of keys.");

export const KvStoreName = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "A store name uses lowercase letters, digits and dashes (at most 63).");

/** Per-app limits; a write past one fails with a message naming it (and the guest sees HOST_ERROR). */
export const KvQuotas = z.object({
  /** Live keys across the app's stores. */
  maxKeys: z.coerce.number().int().min(1),
  /** Largest value, in bytes. */
  maxValueBytes: z.coerce.number().int().min(0),
  /** Keys plus values across the app's stores, in bytes. */
  maxTotalBytes: z.coerce.number().int().min(1),
});
export type KvQuotas = z.infer<typeof KvQuotas>;


export const KvEncoding = z.enum(["utf8", "base64"]);
export type KvEncoding = z.infer<typeof KvEncoding>;

/** Longest TTL: ten years (keeps `now() + ttl` far from timestamp overflow). */
export const KV_MAX_TTL_SECONDS = 10 * 365 * 24 * 3600;
export const KvTtlSeconds = z.number().int().min(1).max(KV_MAX_TTL_SECONDS);

export const SetKvInput = z.object({
  value: z.string(),
  encoding: KvEncoding.default("utf8"),
  /** The key disappears this many seconds after the write; absent: never. */
  ttlSeconds: KvTtlSeconds.optional(),
});
export type SetKvInput = z.infer<typeof SetKvInput>;

export const IncrementKvInput = z.object({
  /** Added to the value (a decimal integer as text; a missing key counts as 0). */
  by: z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER).default(1),
});
export type IncrementKvInput = z.infer<typeof IncrementKvInput>;

export const CompareAndSetKvInput = z.object({
  /** The value the key must hold now; null: the key must not exist. */
  expected: z.string().nullable(),
  value: z.string(),
  encoding: KvEncoding.default("utf8"),
  ttlSeconds: KvTtlSeconds.optional(),
});
export type CompareAndSetKvInput = z.infer<typeof CompareAndSetKvInput>;

export const KV_PAGE_MAX = 1000;
export const ListKvQuery = z.object({
  prefix: KvPrefix.default(""),
  /** Opaque: the `nextCursor` of the previous page. */
  cursor: z.string().max(4 * KV_MAX_KEY_BYTES).optional(),
  limit: z.coerce.number().int().min(1).max(KV_PAGE_MAX).default(100),
  store: KvStoreName.default(DEFAULT_STORE),
});
export type ListKvQuery = z.infer<typeof ListKvQuery>;

export const DeleteKvPrefixInput = z.object({
  /** Every key starting with it is deleted; "" deletes all keys, and then `all` must be true. */
  prefix: KvPrefix,
  all: z.boolean().default(false),
});
export type DeleteKvPrefixInput = z.infer<typeof DeleteKvPrefixInput>;

/** The API's views of keys, values and usage: lib/api-shapes/kv-shapes.ts. */
export type { KvKeyView, KvValueView } from "../api-shapes/kv-shapes";

/** Cursors are the last key of a page, base64url, so they survive any query string. */
export function encodeCursor(key: string): string {
  return Buffer.from(key, "utf8").toString("base64url");
}
export function decodeCursor(cursor: string): string {
  return Buffer.from(cursor, "base64url").toString("utf8");
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
export function viewValue(bytes: Uint8Array): { value: string; encoding: KvEncoding } {
  try {
    return { value: strictUtf8.decode(bytes), encoding: "utf8" };
  } catch {
    return { value: Buffer.from(bytes).toString("base64"), encoding: "base64" };
  }
}
export function decodeValue(value: string, encoding: KvEncoding): Uint8Array {
  return encoding === "utf8" ? encoder.encode(value) : new Uint8Array(Buffer.from(value, "base64"));
}

/** The smallest string above every string that starts with `prefix` (code point order), or null if none. */
export function prefixUpperBound(prefix: string): string | null {
  const points = Array.from(prefix);
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      let next = last + 1;
      if (next >= 0xd800 && next <= 0xdfff) next = 0xe000;
      return points.join("") + String.fromCodePoint(next);
    }
  }
  return null;
}
