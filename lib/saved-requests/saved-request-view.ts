import type { SavedRequest } from "@/lib/db/generated/client";
import { StoredHeaders, type SavedRequestView } from "./saved-request-schemas";

export function toSavedRequestView(row: SavedRequest): SavedRequestView {
  // A JSON column read back is validated like any input.
  const headers = StoredHeaders.safeParse(row.headers);
  return { name: row.name, method: row.method, path: row.path, headers: headers.success ? headers.data : [], body: row.body, updatedAt: row.updatedAt.toISOString() };
}
