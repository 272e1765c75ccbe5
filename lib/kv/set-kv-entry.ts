import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { applyWrites } from "./kv-entries";
import { assertWriteFits } from "./kv-quota";
import { decodeValue, kvQuotasFromEnv, type SetKvInput } from "./kv-schemas";
import { findKvStore } from "./find-kv-store";
import { getKvEntry } from "./get-kv-entry";

export async function setKvEntry({ actor, appName, store, key, input }: { actor: Pick<Actor, "tenantId">; appName: string; store?: string; key: string; input: SetKvInput }) {
  const ref = await findKvStore({ actor, appName, store });
  const value = decodeValue(input.value, input.encoding);
  await assertWriteFits(db(), { appId: ref.appId, storeId: ref.id, key, valueBytes: value.length, quotas: kvQuotasFromEnv() });
  await applyWrites(db(), ref.id, [input.ttlSeconds ? { key, value, ttlSeconds: input.ttlSeconds } : { key, value }]);
  const { raw: _raw, ...view } = await getKvEntry({ actor, appName, store, key });
  return view;
}
