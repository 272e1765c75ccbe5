// Quota checks for writes made through the API and console: exact (a fresh count), since they
// are not on a request's hot path. Guest writes go through KvRequestSession instead.
import { sharedConfig } from "@/lib/config/shared-config";
import { AppError } from "@/lib/errors";
import { readAppUsage, readSizes, type KvSql } from "./kv-entries";
import type { KvQuotas } from "./kv-schemas";

export async function assertWriteFits(
  db: KvSql,
  { appId, storeId, key, valueBytes, quotas }: { appId: string; storeId: string; key: string; valueBytes: number; quotas: KvQuotas },
): Promise<void> {
  if (valueBytes > quotas.maxValueBytes) {
    throw new AppError("PAYLOAD_TOO_LARGE", `The value is ${valueBytes} bytes, over this app's limit of ${quotas.maxValueBytes} bytes per value.`, { field: "value" });
  }
  const [usage, sizes] = await Promise.all([readAppUsage(db, appId), readSizes(db, storeId, [key])]);
  const before = sizes.get(key);
  const after = Buffer.byteLength(key) + valueBytes;
  if (before === undefined && usage.keys + 1 > quotas.maxKeys) {
    throw new AppError("PAYLOAD_TOO_LARGE", `This app already holds ${usage.keys} keys, its limit. Delete keys before adding new ones.`, { field: "key" });
  }
  if (after > (before ?? 0) && usage.bytes - (before ?? 0) + after > quotas.maxTotalBytes) {
    throw new AppError("PAYLOAD_TOO_LARGE", `This write would take the app's stores over their limit of ${quotas.maxTotalBytes} bytes in total (${usage.bytes} used). Delete keys or store less.`, { field: "value" });
  }
}

/** This process's quotas (KV_MAX_KEYS, KV_MAX_VALUE_BYTES, KV_MAX_TOTAL_BYTES; defaults in lib/config/shared-config.ts). */
export function configuredKvQuotas(): KvQuotas {
  const settings = sharedConfig();
  return { maxKeys: settings.KV_MAX_KEYS, maxValueBytes: settings.KV_MAX_VALUE_BYTES, maxTotalBytes: settings.KV_MAX_TOTAL_BYTES };
}
