import type { Actor } from "@/lib/auth/actor";
import { apiSql } from "./kv-sql";
import { AppError } from "@/lib/errors";
import { listKeys } from "./kv-entries";
import { decodeCursor, encodeCursor, keyProblem, ListKvQuery } from "./kv-schemas";
import type { KvPageResponse } from "@/lib/api-shapes/kv-shapes";
import { findKvStore } from "./find-kv-store";

/** A page of keys in byte order; `nextCursor` continues after it (null on the last page). */
export async function listKvEntries({ actor, appName, query: raw }: { actor: Pick<Actor, "tenantId">; appName: string; query: Record<string, string | undefined> }): Promise<KvPageResponse> {
  const store = await findKvStore({ actor, appName, store: raw.store });
  const query = ListKvQuery.parse(raw);
  let after: string | undefined;
  if (query.cursor) {
    after = decodeCursor(query.cursor);
    if (keyProblem(after)) throw new AppError("UNPROCESSABLE", "cursor: not a cursor this API returned.", { field: "cursor" });
  }
  const rows = await listKeys(apiSql(), store.id, { prefix: query.prefix, after, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  return {
    keys: page.map((r) => ({ key: r.key, size: r.size, expiresAt: r.expiresAt?.toISOString() ?? null, updatedAt: r.updatedAt.toISOString() })),
    nextCursor: rows.length > query.limit ? encodeCursor(page.at(-1)!.key) : null,
  };
}
