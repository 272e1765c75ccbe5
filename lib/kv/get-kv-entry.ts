import type { Actor } from "@/lib/auth/actor";
import { apiSql } from "./kv-sql";
import { AppError } from "@/lib/errors";
import { readEntry } from "./kv-entries";
import { viewValue, type KvValueView } from "./kv-schemas";
import { findKvKey } from "./find-kv-store";

type Args = { actor: Pick<Actor, "tenantId">; appName: string; store?: string | null; key: string | null };

export async function getKvEntry(args: Args): Promise<KvValueView & { raw: Uint8Array }> {
  const { ref, key } = await findKvKey(args);
  const row = await readEntry(apiSql(), ref.id, key);
  if (!row) throw new AppError("NOT_FOUND", `Key "${key}" not found.`);
  return {
    key,
    ...viewValue(row.value),
    size: row.value.length,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
    raw: row.value,
  };
}
