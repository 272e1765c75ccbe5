// For the gateway: an app's "production" variables with its secrets opened, merged over the
// manifest's `env:` by lib/deployments/live-deployments.ts (the WAGI variables win over both).
// A secret that cannot be opened (no key, another key, altered) fails this app's requests with a
// DeploymentError and tells the operator why on stderr; other apps are not affected. Neither the
// error nor the log line ever holds a value.
import type { Db } from "@/lib/db/client";
import { DeploymentError } from "@/lib/deployment-record/record";
import { openSecret, SecretOpenError } from "./seal-secret";
import { loadSecretsKey, SecretsKeyError } from "./secrets-key";

const reported = new Set<string>();

export async function loadLiveEnv({
  db,
  tenantId,
  appId,
  environment = "production",
  env,
}: {
  db: Db;
  tenantId: string;
  appId: string;
  environment?: string;
  env: Record<string, string | undefined>;
}): Promise<Record<string, string>> {
  const rows = await db.appEnvVar.findMany({ where: { tenantId, appId, environment }, select: { name: true, secret: true, value: true } });
  const out: Record<string, string> = {};
  const problems: string[] = [];
  let key: Uint8Array | null = null;
  for (const row of rows) {
    if (!row.secret) {
      out[row.name] = row.value;
      continue;
    }
    try {
      key ??= loadSecretsKey(env);
      out[row.name] = openSecret(key, { tenantId, appId, environment, name: row.name }, row.value);
    } catch (e) {
      if (!(e instanceof SecretsKeyError || e instanceof SecretOpenError)) throw e;
      problems.push(e.message);
      if (e instanceof SecretsKeyError) break;
    }
  }
  if (problems.length > 0) {
    const note = `app ${appId} of tenant ${tenantId}: ${problems.join(" ")}`;
    if (!reported.has(note)) {
      reported.add(note);
      console.error(`[env] cannot open secrets for ${note}`);
    }
    throw new DeploymentError("its secrets cannot be decrypted on this gateway (a server configuration problem; the operator sees why in the gateway's log).", problems);
  }
  return out;
}
