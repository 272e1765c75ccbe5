// Sets one variable of an app's environment. A secret is sealed (lib/env/seal-secret.ts) before it
// reaches the database and is never returned. A change to "production" bumps the routing epoch,
// so every gateway serves the next request with it, without a new version.
import type { Actor } from "@/lib/auth/actor";
import { findAppOrThrow } from "@/lib/apps/find-app";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { bumpRoutingEpoch } from "@/lib/db/routing-epoch";
import { AppError } from "@/lib/errors";
import { Environment, EnvName, ENV_MAX_VARS, SetEnvVarInput, type EnvVarView } from "./env-schemas";
import { envTarget, toEnvVarView } from "./env-vars";
import { sealSecret } from "./seal-secret";
import { loadSecretsKey, SecretsKeyError } from "./secrets-key";

export async function setEnvVar(args: {
  actor: Actor;
  appName: string;
  environment?: string | null;
  name: string;
  /** Called once the app is known to be the actor's (scope before validation). */
  readInput: () => Promise<unknown>;
  ip?: string | null;
}): Promise<EnvVarView> {
  const { actor, appName } = args;
  const app = await findAppOrThrow({ actor, name: appName });
  const environment = Environment.parse(args.environment ?? "production");
  const nameCheck = EnvName.safeParse(args.name);
  if (!nameCheck.success) throw new AppError("UNPROCESSABLE", `name: ${nameCheck.error.issues[0]?.message}`, { field: "name" });
  const name = nameCheck.data;
  const input = SetEnvVarInput.parse(await args.readInput());

  let stored = input.value;
  if (input.secret) {
    let key: Uint8Array;
    try {
      key = loadSecretsKey(process.env);
    } catch (e) {
      if (e instanceof SecretsKeyError) {
        console.error(`[env] cannot seal a secret: ${e.message}`);
        throw new AppError("UNAVAILABLE", "Secrets are not configured on this server (it has no valid secrets key). Ask the operator to set WASMCOMPUTE_SECRETS_KEY.");
      }
      throw e;
    }
    stored = sealSecret(key, { tenantId: actor.tenantId, appId: app.id, environment, name }, input.value);
  }

  const row = await db().$transaction(async (tx) => {
    const where = { appId_environment_name: { appId: app.id, environment, name } };
    const existing = await tx.appEnvVar.findUnique({ where, select: { name: true } });
    if (!existing) {
      const count = await tx.appEnvVar.count({ where: { appId: app.id, environment } });
      if (count >= ENV_MAX_VARS) {
        throw new AppError("UNPROCESSABLE", `The ${environment} environment of "${appName}" already has ${ENV_MAX_VARS} variables, the most it can hold. Delete one first.`, { field: "name" });
      }
    }
    const data = { secret: input.secret, value: stored, updatedAt: new Date() };
    const saved = await tx.appEnvVar.upsert({ where, create: { tenantId: actor.tenantId, appId: app.id, environment, name, ...data }, update: data });
    if (environment === "production") await bumpRoutingEpoch(tx);
    return saved;
  });
  await recordAuditEvent({ actor, action: input.secret ? "secret.set" : "env.set", target: envTarget(appName, environment, name), ip: args.ip });
  return toEnvVarView(row);
}
