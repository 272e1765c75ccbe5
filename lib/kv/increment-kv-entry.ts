import type { Actor } from "@/lib/auth/actor";
import { apiSql } from "./kv-sql";
import { AppError } from "@/lib/errors";
import { incrementEntry, KvNotAnInteger } from "./kv-entries";
import { assertWriteFits, configuredKvQuotas } from "./kv-quota";
import { IncrementKvInput } from "./kv-schemas";
import type { KvIncrementResponse } from "@/lib/api-shapes/kv-shapes";
import { findKvKey } from "./find-kv-store";

/** Atomic: concurrent increments of one key never lose an update. */
export async function incrementKvEntry(args: { actor: Pick<Actor, "tenantId">; appName: string; store?: string | null; key: string | null; readInput: () => Promise<unknown> }): Promise<KvIncrementResponse> {
  const { ref, key } = await findKvKey(args);
  const input = IncrementKvInput.parse(await args.readInput());
  await assertWriteFits(apiSql(), { appId: ref.appId, storeId: ref.id, key, valueBytes: 20, quotas: configuredKvQuotas() });
  try {
    const { value } = await incrementEntry(apiSql(), ref.id, key, BigInt(input.by));
    return { key, value: value.toString() };
  } catch (e) {
    if (e instanceof KvNotAnInteger) throw new AppError("CONFLICT", e.message, { field: "key" });
    throw e;
  }
}
