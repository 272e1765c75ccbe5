// Saves an app's editor draft with optimistic concurrency: a save names the revision it was based
// on, and a save based on anything but the current revision is refused (CONFLICT), never merged or
// overwritten, so two tabs editing one app cannot silently lose each other's work.
import { AppError } from "@/lib/errors";
import { db, isUniqueViolation } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { findAppOrThrow } from "@/lib/apps/find-app";
import { SaveSourceInput, type SourceView } from "./source-files";

export async function saveSource({ actor, appName, readInput }: { actor: Pick<Actor, "tenantId">; appName: string; readInput: () => Promise<unknown> }): Promise<SourceView> {
  // The app first: another tenant's app is NOT FOUND whatever the body says.
  const app = await findAppOrThrow({ actor, name: appName });
  const { files, revision } = SaveSourceInput.parse(await readInput());
  const updatedAt = new Date();

  if (revision === 0) {
    try {
      await db().appSource.create({ data: { appId: app.id, tenantId: actor.tenantId, files, revision: 1, updatedAt } });
      return { files, revision: 1, updatedAt: updatedAt.toISOString() };
    } catch (e) {
      if (isUniqueViolation(e)) throw await conflict(app.id, revision);
      throw e;
    }
  }
  const { count } = await db().appSource.updateMany({
    where: { appId: app.id, tenantId: actor.tenantId, revision },
    data: { files, revision: revision + 1, updatedAt },
  });
  if (count === 0) throw await conflict(app.id, revision);
  return { files, revision: revision + 1, updatedAt: updatedAt.toISOString() };
}

async function conflict(appId: string, based: number): Promise<AppError> {
  const current = await db().appSource.findUnique({ where: { appId }, select: { revision: true, updatedAt: true } });
  const where = current ? `revision ${current.revision}, saved ${current.updatedAt.toISOString()}` : "no saved draft";
  return new AppError(
    "CONFLICT",
    `The draft changed since you opened it (the server has ${where}; your edits are based on revision ${based}), ` +
      "probably in another tab. Nothing was overwritten: load the server's draft, or save yours over it.",
    { field: "revision" },
  );
}
