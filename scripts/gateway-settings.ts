// The gateway process's settings: its schema (lib/config/gateway-config.ts) and the groups of
// settings with parsers of their own (ceilings, price plan), read once as scripts/gateway.ts starts.
import { ConfigError, parseSettings, settingNames } from "../lib/config/parse-settings";
import { GatewaySettings } from "../lib/config/gateway-config";
import { LIMIT_CEILINGS_GROUP, PRICE_PLAN_GROUP } from "../lib/http/shared-setting-groups";

type Env = Record<string, string | undefined>;

export const GATEWAY_SETTING_GROUPS = { limitCeilings: LIMIT_CEILINGS_GROUP, pricePlan: PRICE_PLAN_GROUP };

/** Every variable a gateway process reads. */
export const GATEWAY_SETTING_NAMES = settingNames(GatewaySettings, GATEWAY_SETTING_GROUPS);

/** The gateway's settings read from `env`, or a ConfigError with one line per problem. */
export function readGatewaySettings(env: Env = process.env) {
  return parseSettings(GatewaySettings, env, GATEWAY_SETTING_GROUPS);
}

/** For the gateway process: a bad setting prints what to fix and exits 1. */
export function loadGatewaySettingsOrExit(env: Env = process.env): ReturnType<typeof readGatewaySettings> {
  try {
    return readGatewaySettings(env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const problem of e.problems) console.error(`[gateway] ${problem}`);
    process.exit(1);
  }
}
