// Reads an app's editor draft (its source tree); an app never saved from the editor has revision 0.
import { db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { findAppOrThrow } from "@/lib/apps/find-app";
import { SourceFiles, type SourceView } from "./source-files";

export async function findSource({ actor, appName }: { actor: Pick<Actor, "tenantId">; appName: string }): Promise<SourceView & { template: string | null }> {
  const app = await findAppOrThrow({ actor, name: appName });
  const row = await db().appSource.findFirst({ where: { appId: app.id, tenantId: actor.tenantId } });
  if (!row) return { files: {}, revision: 0, updatedAt: null, template: app.template };
  // A JSON column read back is validated like any input: a bad row must not reach the editor.
  const files = SourceFiles.safeParse(row.files);
  return { files: files.success ? files.data : {}, revision: row.revision, updatedAt: row.updatedAt.toISOString(), template: app.template };
}
