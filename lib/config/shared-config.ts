// Settings that the console and the gateway both read (the database, where blobs live, the
// secrets key, where the gateway answers, key-value quotas): one schema, part of both processes'
// configuration (console-config.ts, gateway-config.ts). Documented in README's settings table.
// A leaf module (zod only): any lib/ folder may read it without an import loop.
import { z } from "zod";
import { readOnce, settingNames } from "./parse-settings";
import { parseSettings } from "./parse-settings";
import { choice, domainName, hostList, httpUrl, port, text, wholeNumber } from "./setting";

export const SharedSettings = z.object({
  DATABASE_URL: text(),
  DATA_DIR: text(),
  BLOB_DIR: text(),
  DB_QUERY_TIMEOUT_MS: wholeNumber("milliseconds", { min: 1, fallback: 15_000 }),
  DB_CONNECT_TIMEOUT_MS: wholeNumber("milliseconds", { min: 1, fallback: 5_000 }),
  WASMCOMPUTE_SECRETS_KEY: text(),
  GATEWAY_PORT: port(3001),
  GATEWAY_PUBLIC_URL: httpUrl(),
  GATEWAY_DOMAIN: domainName(),
  KV_MAX_KEYS: wholeNumber("keys", { min: 1, fallback: 1_000_000 }),
  KV_MAX_VALUE_BYTES: wholeNumber("bytes", { min: 0, fallback: 1024 * 1024 }),
  KV_MAX_TOTAL_BYTES: wholeNumber("bytes", { min: 1, fallback: 1024 * 1024 * 1024 }),
  // Publish refuses a schedule that may run more often; the gateway skips one that does (docs/schedules.md).
  SCHEDULE_MIN_INTERVAL_MINUTES: wholeNumber("minutes", { min: 1, max: 1440, fallback: 1 }),
  // Outbound HTTP from guests (lib/outbound): the gateway and the IDE preview's console route apply the same rules.
  GATEWAY_OUTBOUND_ALLOW: hostList(),
  GATEWAY_OUTBOUND_ANY: choice(["on", "off"], "off"),
});
export type SharedSettings = z.output<typeof SharedSettings>;

/** This process's shared settings (checked as it started: a bad value never gets this far). */
export const sharedConfig = readOnce(settingNames(SharedSettings), (env) => parseSettings(SharedSettings, env));
