// The console's own settings, checked once as a console process starts (instrumentation.ts): a bad
// value ends the process with a message naming it, as `npm start` does before it starts anything,
// instead of a console that answers sign-ups with errors. Node-only (process.exit).
import { InvalidSettingError, signUpLimitFromEnv } from "@/lib/rate-limit/sign-up-limit";
import { InvalidCeilingError, limitCeilingsFromEnv } from "@/lib/deployment-record/limit-ceilings";

export function checkConsoleSettings(env: Record<string, string | undefined> = process.env): void {
  try {
    signUpLimitFromEnv(env);
    // Publishing checks manifests against the gateway's ceilings (GATEWAY_MAX_*).
    limitCeilingsFromEnv(env);
  } catch (e) {
    if (!(e instanceof InvalidSettingError) && !(e instanceof InvalidCeilingError)) throw e;
    console.error(`[console] ${e.message}`);
    process.exit(1);
  }
}
