// The groups of settings with parsers of their own that the console and the gateway both read. Kept
// apart from lib/http/check-console-settings.ts, whose sign-up limit imports the database client:
// the gateway's settings must not load it (a gateway serving a folder never opens a database).
import { getPricePlan } from "@/lib/billing/price-plan";
import type { SettingGroup } from "@/lib/config/parse-settings";
import { CEILINGS, limitCeilingsFromEnv } from "@/lib/deployment-record/limit-ceilings";

/** Limits a manifest may ask for (GATEWAY_MAX_*): publishing checks manifests against them, the gateway holds requests to them. */
export const LIMIT_CEILINGS_GROUP = {
  names: Object.values(CEILINGS).map((c) => c.env),
  read: limitCeilingsFromEnv,
} satisfies SettingGroup<unknown>;

export const PRICE_PLAN_GROUP = { names: ["PRICE_PLAN"], read: getPricePlan } satisfies SettingGroup<unknown>;
