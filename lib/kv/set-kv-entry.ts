import type { Actor } from "@/lib/auth/actor";
import { apiSql } from "./kv-sql";
import { applyWrites } from "./kv-entries";
import { assertWriteFits, configuredKvQuotas } from "./kv-quota";
import { decodeValue, SetKvInput, type KvValueView } from "./kv-schemas";
import { findKvKey } from "./find-kv-store";
import { getKvEntry } from "./get-kv-entry";

/** `readInput` is only called once the key is known to be the actor's (scope before validation). */
export async function setKvEntry(args: { actor: Pick<Actor, "tenantId">; appName: string; store?: string | null; key: string | null; readInput: () => Promise<unknown> }): Promise<KvValueView> {
  const { ref, key } = await findKvKey(args);
  const input = SetKvInput.parse(await args.readInput());
  const value = decodeValue(input.value, input.encoding);
  await assertWriteFits(apiSql(), { appId: ref.appId, storeId: ref.id, key, valueBytes: value.length, quotas: configuredKvQuotas() });
  await applyWrites(apiSql(), ref.id, [input.ttlSeconds ? { key, value, ttlSeconds: input.ttlSeconds } : { key, value }]);
  const { raw: _raw, ...view } = await getKvEntry({ ...args, key });
  return view;
}
