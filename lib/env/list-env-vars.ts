// An app's variables in one environment, as the API and the console show them: plain values in
// full, secrets as their name and update time only. `plain` is the same plain variables as one
// object: what the editor's in-browser preview passes to the guest (secrets never leave the server).
import type { Actor } from "@/lib/auth/actor";
import { findAppOrThrow } from "@/lib/apps/find-app";
import { db } from "@/lib/db/client";
import { Environment, ENV_MAX_VARS } from "./env-schemas";
import { toEnvVarView } from "./env-vars";
import type { EnvVarsResponse } from "@/lib/api-shapes/env-shapes";

export async function listEnvVars({ actor, appName, environment }: { actor: Pick<Actor, "tenantId">; appName: string; environment?: string | null }): Promise<EnvVarsResponse> {
  const app = await findAppOrThrow({ actor, name: appName });
  const env = Environment.parse(environment ?? "production");
  const rows = await db().appEnvVar.findMany({ where: { tenantId: actor.tenantId, appId: app.id, environment: env }, orderBy: { name: "asc" } });
  const vars = rows.map(toEnvVarView);
  const plain = Object.fromEntries(vars.flatMap((v) => (v.secret ? [] : [[v.name, v.value] as const])));
  return { environment: env, vars, plain, maxVars: ENV_MAX_VARS };
}
