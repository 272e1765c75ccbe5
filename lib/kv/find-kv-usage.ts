import type { Actor } from "@/lib/auth/actor";
import { findAppOrThrow } from "@/lib/apps/find-app";
import { apiSql } from "./kv-sql";
import { readAppUsage } from "./kv-entries";
import type { KvUsageView } from "@/lib/api-shapes/kv-shapes";
import { configuredKvQuotas } from "./kv-quota";

/** Share of a quota past which the console warns. */
export const KV_QUOTA_WARNING = 0.8;

export async function findKvUsage({ actor, appName }: { actor: Pick<Actor, "tenantId">; appName: string }): Promise<KvUsageView> {
  const app = await findAppOrThrow({ actor, name: appName });
  const usage = await readAppUsage(apiSql(), app.id);
  const quotas = configuredKvQuotas();
  const warnings: string[] = [];
  const share = (used: number, max: number) => Math.round((used / max) * 100);
  if (usage.keys >= quotas.maxKeys * KV_QUOTA_WARNING) warnings.push(`${usage.keys} of ${quotas.maxKeys} keys used (${share(usage.keys, quotas.maxKeys)}%).`);
  if (usage.bytes >= quotas.maxTotalBytes * KV_QUOTA_WARNING) warnings.push(`${usage.bytes} of ${quotas.maxTotalBytes} bytes used (${share(usage.bytes, quotas.maxTotalBytes)}%).`);
  return { ...usage, quotas, warnings };
}
