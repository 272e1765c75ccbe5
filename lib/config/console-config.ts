// The console's own settings (the Next.js server, scripts/console-server.mjs, and `npm start`,
// scripts/start.ts, which starts it), beside the shared ones (shared-config.ts). Checked as a
// console process starts (lib/http/check-console-settings.ts, from instrumentation.ts) and before
// `npm start` starts anything; a bad value stops the process with a message naming it.
// Documented in README's settings table. A leaf module (zod only).
import { z } from "zod";
import { parseSettings, readOnce, settingNames } from "./parse-settings";
import { httpUrl, port, text, wholeNumber } from "./setting";
import { SharedSettings } from "./shared-config";

export const MIB = 1024 * 1024;

export const ConsoleSettings = SharedSettings.extend({
  PORT: port(3000),
  HOST: text("127.0.0.1"),
  NEXTAUTH_SECRET: text(),
  NEXTAUTH_URL: httpUrl(),
  GATEWAY_INTERNAL_URL: httpUrl(),
  SESSION_MAX_AGE_SECONDS: wholeNumber("seconds", { min: 1, fallback: 7 * 24 * 60 * 60 }),
  TRUSTED_PROXIES: wholeNumber("proxies", { min: 0, fallback: 0 }),
  UPLOAD_MAX_BYTES: wholeNumber("bytes", { min: 1, fallback: 64 * MIB }),
  EMBEDDED_DB_PORT: port(0),
  NEXT_DIST_DIR: text(".next"),
});
export type ConsoleSettings = z.output<typeof ConsoleSettings>;

/** This console process's settings, parsed once. */
export const consoleConfig = readOnce(settingNames(ConsoleSettings), (env) => parseSettings(ConsoleSettings, env));
