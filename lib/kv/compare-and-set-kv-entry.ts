import type { Actor } from "@/lib/auth/actor";
import { apiSql } from "./kv-sql";
import { AppError } from "@/lib/errors";
import { compareAndSetEntry } from "./kv-entries";
import { assertWriteFits, configuredKvQuotas } from "./kv-quota";
import { CompareAndSetKvInput, decodeValue } from "./kv-schemas";
import { findKvKey } from "./find-kv-store";

/** Writes only if the key holds `expected` now (null: absent); a mismatch is a 409. */
export async function compareAndSetKvEntry(args: { actor: Pick<Actor, "tenantId">; appName: string; store?: string | null; key: string | null; readInput: () => Promise<unknown> }): Promise<void> {
  const { ref, key } = await findKvKey(args);
  const input = CompareAndSetKvInput.parse(await args.readInput());
  const value = decodeValue(input.value, input.encoding);
  await assertWriteFits(apiSql(), { appId: ref.appId, storeId: ref.id, key, valueBytes: value.length, quotas: configuredKvQuotas() });
  const expected = input.expected === null ? null : decodeValue(input.expected, input.encoding);
  if (!(await compareAndSetEntry(apiSql(), ref.id, key, expected, value, input.ttlSeconds))) {
    throw new AppError("CONFLICT", `Key "${key}" does not hold the expected value: nothing was written.`, { field: "expected" });
  }
}
