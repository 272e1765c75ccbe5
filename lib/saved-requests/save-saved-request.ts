// Creates or replaces one saved preview request by name (PUT semantics: the name is the identity).
// Limits answer with what to do: a too-large body is 413, more than SAVED_REQUEST_LIMITS.maxPerApp
// requests per app is 409 (delete one first); replacing an existing name is always allowed.
import { AppError } from "@/lib/errors";
import { db, isUniqueViolation } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { findAppOrThrow } from "@/lib/apps/find-app";
import { SAVED_REQUEST_LIMITS, SaveRequestInput, SavedRequestName, type SavedRequestView } from "./saved-request-schemas";
import { toSavedRequestView } from "./saved-request-view";

export async function saveSavedRequest({
  actor,
  appName,
  name: rawName,
  readInput,
}: {
  actor: Pick<Actor, "tenantId">;
  appName: string;
  name: string;
  readInput: () => Promise<unknown>;
}): Promise<SavedRequestView> {
  // The app first: another tenant's app is NOT FOUND whatever the name or body say.
  const app = await findAppOrThrow({ actor, name: appName });
  const name = SavedRequestName.safeParse(rawName);
  if (!name.success) throw new AppError("UNPROCESSABLE", `name: ${name.error.issues[0]!.message}`, { field: "name" });
  const input = SaveRequestInput.parse(await readInput());
  const bodyBytes = new TextEncoder().encode(input.body).length;
  if (bodyBytes > SAVED_REQUEST_LIMITS.maxBodyBytes) {
    throw new AppError("PAYLOAD_TOO_LARGE", `body: ${bodyBytes} bytes is over the ${SAVED_REQUEST_LIMITS.maxBodyBytes / 1024} KiB a saved request may keep. Save a smaller body.`, {
      field: "body",
    });
  }

  const where = { appId_name: { appId: app.id, name: name.data } };
  const data = { method: input.method, path: input.path, headers: input.headers, body: input.body, updatedAt: new Date() };
  const existing = await db().savedRequest.findUnique({ where, select: { id: true } });
  if (existing) return toSavedRequestView(await db().savedRequest.update({ where, data }));

  // Two concurrent creates can both pass this count; the cap is a size guard, not an invariant.
  const count = await db().savedRequest.count({ where: { appId: app.id } });
  if (count >= SAVED_REQUEST_LIMITS.maxPerApp) {
    throw new AppError("CONFLICT", `"${appName}" already has ${count} saved requests, the most an app keeps. Delete one, or overwrite an existing name.`, { field: "name" });
  }
  try {
    return toSavedRequestView(await db().savedRequest.create({ data: { ...data, tenantId: actor.tenantId, appId: app.id, name: name.data } }));
  } catch (e) {
    // Created by a concurrent save in between: this save replaces it, as PUT promises.
    if (isUniqueViolation(e)) return toSavedRequestView(await db().savedRequest.update({ where, data }));
    throw e;
  }
}
