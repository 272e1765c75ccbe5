// The console's settings, checked once as a console process starts (instrumentation.ts) and before
// `npm start` starts anything (scripts/start.ts): a bad value ends the process with a message
// naming it, instead of a console that fails requests later. The schema is lib/config/console-config.ts;
// the groups below have parsers of their own in their domain folders. Node-only (process.exit).
import { ConfigError, parseSettings, settingNames, type SettingGroup } from "@/lib/config/parse-settings";
import { ConsoleSettings } from "@/lib/config/console-config";
import { LIMIT_CEILINGS_GROUP, PRICE_PLAN_GROUP } from "./shared-setting-groups";
import { signUpLimitFromEnv } from "@/lib/rate-limit/sign-up-limit";

type Env = Record<string, string | undefined>;

export const CONSOLE_SETTING_GROUPS = {
  signUpLimit: { names: ["SIGNUP_RATE_LIMIT", "SIGNUP_RATE_WINDOW_SECONDS"], read: signUpLimitFromEnv },
  limitCeilings: LIMIT_CEILINGS_GROUP,
  pricePlan: PRICE_PLAN_GROUP,
} satisfies Record<string, SettingGroup<unknown>>;

/** Every variable a console process reads. */
export const CONSOLE_SETTING_NAMES = settingNames(ConsoleSettings, CONSOLE_SETTING_GROUPS);

/** The console's settings read from `env`, or a ConfigError with one line per problem. */
export function readConsoleSettings(env: Env) {
  return parseSettings(ConsoleSettings, env, CONSOLE_SETTING_GROUPS);
}

/** For a console process: a bad setting prints what to fix and exits 1. */
export function checkConsoleSettings(env: Env): void {
  try {
    readConsoleSettings(env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const problem of e.problems) console.error(`[console] ${problem}`);
    process.exit(1);
  }
}
