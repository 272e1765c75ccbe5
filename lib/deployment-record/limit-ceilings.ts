/**
 * The operator's ceilings on what an app's wasmcompute.yaml may ask for (issue #13: a manifest
 * could ask for a 15-minute timeout and 4 GiB, and one tenant's requests then held workers and
 * memory that long). Read from the environment of the console (publish refuses a manifest above a
 * ceiling with a 422 naming it) and of the gateway (each request runs under its app's limits cut
 * down to them, so versions published before a ceiling was lowered are held too).
 *
 *   GATEWAY_MAX_TIMEOUT_MS      default 30000 (30 s)
 *   GATEWAY_MAX_MEMORY_MB       default 256
 *   GATEWAY_MAX_REQUEST_BYTES   default 100 MiB (the manifest's own bound)
 *   GATEWAY_MAX_RESPONSE_BYTES  default 100 MiB
 */
import { MAX_APP_BODY_BYTES, type AppLimits } from "./record";

export const LIMIT_CEILING_DEFAULTS: AppLimits = {
  timeoutMs: 30_000,
  memoryMb: 256,
  maxRequestBytes: MAX_APP_BODY_BYTES,
  maxResponseBytes: MAX_APP_BODY_BYTES,
};

/** Each ceiling's variable, its unit in messages, and the values it may take. */
export const CEILINGS: Record<keyof AppLimits, { env: string; unit: string; min: number; max: number }> = {
  timeoutMs: { env: "GATEWAY_MAX_TIMEOUT_MS", unit: "ms", min: 1, max: 15 * 60_000 },
  memoryMb: { env: "GATEWAY_MAX_MEMORY_MB", unit: "MiB", min: 1, max: 4096 },
  maxRequestBytes: { env: "GATEWAY_MAX_REQUEST_BYTES", unit: "bytes", min: 0, max: Number.MAX_SAFE_INTEGER },
  maxResponseBytes: { env: "GATEWAY_MAX_RESPONSE_BYTES", unit: "bytes", min: 1, max: Number.MAX_SAFE_INTEGER },
};

/** A ceiling in the environment is not usable: the message names it, its value and what it takes. */
export class InvalidCeilingError extends Error {
  override name = "InvalidCeilingError";
}

/** The ceilings `env` (the process environment) sets (an unset or empty variable takes its default). */
export function limitCeilingsFromEnv(env: Record<string, string | undefined>): AppLimits {
  const ceilings = { ...LIMIT_CEILING_DEFAULTS };
  for (const [key, { env: name, min, max }] of Object.entries(CEILINGS) as [keyof AppLimits, (typeof CEILINGS)[keyof AppLimits]][]) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      throw new InvalidCeilingError(
        `${name}=${JSON.stringify(env[name])} must be a whole number from ${min} to ${max} (default ${LIMIT_CEILING_DEFAULTS[key]}); unset it to use the default.`,
      );
    }
    ceilings[key] = value;
  }
  return ceilings;
}

/**
 * Each limit a manifest sets above its ceiling, as a sentence naming both and the variable
 * (empty: all within). Limits the manifest leaves out are not checked: the gateway's defaults
 * are held to the ceilings at run time.
 */
export function limitsOverCeilings(limits: Partial<AppLimits>, ceilings: AppLimits): string[] {
  const problems: string[] = [];
  for (const [key, { env, unit }] of Object.entries(CEILINGS) as [keyof AppLimits, (typeof CEILINGS)[keyof AppLimits]][]) {
    const asked = limits[key];
    if (asked !== undefined && asked > ceilings[key]) {
      problems.push(
        `wasmcompute.yaml: limits.${key} is ${asked} ${unit}, above this platform's ceiling of ${ceilings[key]} ${unit} (${env}). ` +
          "Lower it, or ask the operator to raise the ceiling.",
      );
    }
  }
  return problems;
}
