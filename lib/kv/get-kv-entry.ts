import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { readEntry } from "./kv-entries";
import { viewValue, type KvValueView } from "./kv-schemas";
import { findKvStore } from "./find-kv-store";

export async function getKvEntry({ actor, appName, store, key }: { actor: Pick<Actor, "tenantId">; appName: string; store?: string; key: string }): Promise<KvValueView & { raw: Uint8Array }> {
  const { id } = await findKvStore({ actor, appName, store });
  const row = await readEntry(db(), id, key);
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
