// An app's key-value stores, as the REST API answers them (docs/api.md).
import { z } from "zod";
import { Timestamp } from "./timestamp";

/** A key as listed: its size, never its value. */
export const KvKeyView = z.looseObject({
  key: z.string(),
  size: z.number(),
  expiresAt: Timestamp.nullable(),
  updatedAt: Timestamp,
});
export type KvKeyView = z.infer<typeof KvKeyView>;

/** One value: UTF-8 text when it is, base64 otherwise. */
export const KvValueView = KvKeyView.extend({
  value: z.string(),
  encoding: z.enum(["utf8", "base64"]),
});
export type KvValueView = z.infer<typeof KvValueView>;

/** What the app's stores hold, its quotas, and a warning per quota past 80%. */
export const KvUsageView = z.looseObject({
  keys: z.number(),
  bytes: z.number(),
  quotas: z.looseObject({ maxKeys: z.number(), maxValueBytes: z.number(), maxTotalBytes: z.number() }),
  warnings: z.array(z.string()),
});
export type KvUsageView = z.infer<typeof KvUsageView>;

/** GET /apps/{app}/kv: a page of keys; `nextCursor` is null on the last page. */
export const KvPageResponse = z.object({ keys: z.array(KvKeyView), nextCursor: z.string().nullable() });
export type KvPageResponse = z.infer<typeof KvPageResponse>;
/** GET and PUT /apps/{app}/kv/entry. */
export const KvEntryResponse = z.object({ entry: KvValueView });
/** POST /apps/{app}/kv/increment: the new value, as decimal text. */
export const KvIncrementResponse = z.looseObject({ key: z.string(), value: z.string() });
export type KvIncrementResponse = z.infer<typeof KvIncrementResponse>;
/** POST /apps/{app}/kv/delete-prefix. */
export const KvDeletedResponse = z.looseObject({ deleted: z.number() });
export type KvDeletedResponse = z.infer<typeof KvDeletedResponse>;
export const KvUsageResponse = z.object({ usage: KvUsageView });
