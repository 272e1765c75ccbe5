import type { Actor } from "@/lib/auth/actor";
import { apiSql } from "./kv-sql";
import { AppError } from "@/lib/errors";
import { deletePrefix } from "./kv-entries";
import { DeleteKvPrefixInput } from "./kv-schemas";
import type { KvDeletedResponse } from "@/lib/api-shapes/kv-shapes";
import { findKvStore } from "./find-kv-store";

/** Bulk delete by prefix; deleting everything must be asked for explicitly (`all: true`). */
export async function deleteKvPrefix({ actor, appName, store, readInput }: { actor: Pick<Actor, "tenantId">; appName: string; store?: string | null; readInput: () => Promise<unknown> }): Promise<KvDeletedResponse> {
  const { id } = await findKvStore({ actor, appName, store });
  const input = DeleteKvPrefixInput.parse(await readInput());
  if (input.prefix === "" && !input.all) {
    throw new AppError("UNPROCESSABLE", "An empty prefix deletes every key: send `all: true` to confirm.", { field: "prefix" });
  }
  return { deleted: await deletePrefix(apiSql(), id, input.prefix) };
}
