import type { Actor } from "@/lib/auth/actor";
import { apiSql } from "./kv-sql";
import { AppError } from "@/lib/errors";
import { deleteEntry } from "./kv-entries";
import { findKvKey } from "./find-kv-store";

export async function deleteKvEntry(args: { actor: Pick<Actor, "tenantId">; appName: string; store?: string | null; key: string | null }): Promise<void> {
  const { ref, key } = await findKvKey(args);
  if (!(await deleteEntry(apiSql(), ref.id, key))) throw new AppError("NOT_FOUND", `Key "${key}" not found.`);
}
