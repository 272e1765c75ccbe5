// Deletes one variable; a production change reaches every gateway with the next routing epoch.
import type { Actor } from "@/lib/auth/actor";
import { findAppOrThrow } from "@/lib/apps/find-app";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { bumpRoutingEpoch } from "@/lib/db/routing-epoch";
import { AppError } from "@/lib/errors";
import { Environment } from "./env-schemas";
import { envTarget } from "./env-vars";

export async function deleteEnvVar({ actor, appName, environment, name, ip }: { actor: Actor; appName: string; environment?: string | null; name: string; ip?: string | null }): Promise<void> {
  const app = await findAppOrThrow({ actor, name: appName });
  const env = Environment.parse(environment ?? "production");
  const deleted = await db().$transaction(async (tx) => {
    const where = { appId_environment_name: { appId: app.id, environment: env, name } };
    const row = await tx.appEnvVar.findUnique({ where, select: { secret: true } });
    if (!row) return null;
    await tx.appEnvVar.delete({ where });
    if (env === "production") await bumpRoutingEpoch(tx);
    return row;
  });
  if (!deleted) throw new AppError("NOT_FOUND", `"${appName}" has no variable ${name} in its ${env} environment.`);
  await recordAuditEvent({ actor, action: deleted.secret ? "secret.deleted" : "env.deleted", target: envTarget(appName, env, name), ip });
}
