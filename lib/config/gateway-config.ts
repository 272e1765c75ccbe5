// The gateway's own settings (scripts/gateway.ts, alone or as `npm start` runs it), beside the
// shared ones (shared-config.ts). Parsed once as the process starts; a bad value stops it with a
// message naming it. Documented in README's settings table. A leaf module (zod only).
import { z } from "zod";
import { choice, decimalNumber, text, wholeNumber } from "./setting";
import { SharedSettings } from "./shared-config";

export const GatewaySettings = SharedSettings.extend({
  GATEWAY_HOST: text("127.0.0.1"),
  GATEWAY_PATH_ROUTING: choice(["on", "off"], "off"),
  DEPLOYMENTS_DIR: text(".data/deployments"),
  GATEWAY_WORKERS: wholeNumber("worker threads", { min: 1 }),
  GATEWAY_LOG: choice(["json", "off"], "json"),
  LOG_RETENTION_DAYS: decimalNumber("days", { min: 0, fallback: 7 }),
  // Unset: 1 for scripts/gateway.ts alone, one per core under `npm start`.
  GATEWAY_PROCESSES: wholeNumber("processes", { min: 1, max: 256 }),
  GATEWAY_DRAIN_MS: wholeNumber("milliseconds", { min: 0, fallback: 25_000 }),
  GATEWAY_DB_CONNECTIONS: wholeNumber("connections", { min: 1 }),
  GATEWAY_WORKER_HEAP_MB: wholeNumber("MiB", { min: 16 }),
  GATEWAY_TENANT_CONCURRENCY: wholeNumber("requests", { min: 1 }),
  GATEWAY_APP_CONCURRENCY: wholeNumber("requests", { min: 1 }),
  GATEWAY_DB_WAIT_MS: wholeNumber("milliseconds", { min: 100, fallback: 5000 }),
});
export type GatewaySettings = z.output<typeof GatewaySettings>;
