import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { deletePrefix } from "./kv-entries";
import type { DeleteKvPrefixInput } from "./kv-schemas";
import { findKvStore } from "./find-kv-store";

/** Bulk delete by prefix; deleting everything must be asked for explicitly (`all: true`). */
export async function deleteKvPrefix({ actor, appName, store, input }: { actor: Pick<Actor, "tenantId">; appName: string; store?: string; input: DeleteKvPrefixInput }): Promise<{ deleted: number }> {
  if (input.prefix === "" && !input.all) {
    throw new AppError("UNPROCESSABLE", "An empty prefix deletes every key: send `all: true` to confirm.", { field: "prefix" });
  }
  const { id } = await findKvStore({ actor, appName, store });
  return { deleted: await deletePrefix(db(), id, input.prefix) };
}
