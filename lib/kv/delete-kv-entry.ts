import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { deleteEntry } from "./kv-entries";
import { findKvStore } from "./find-kv-store";

export async function deleteKvEntry({ actor, appName, store, key }: { actor: Pick<Actor, "tenantId">; appName: string; store?: string; key: string }): Promise<void> {
  const { id } = await findKvStore({ actor, appName, store });
  if (!(await deleteEntry(db(), id, key))) throw new AppError("NOT_FOUND", `Key "${key}" not found.`);
}
