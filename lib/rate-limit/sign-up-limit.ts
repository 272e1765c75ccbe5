// How many sign-ups one client address may make: a sliding window, set by the operator with
// SIGNUP_RATE_LIMIT (sign-ups) and SIGNUP_RATE_WINDOW_SECONDS (the window). Checked when the
// platform starts (scripts/start.ts) and when a console process starts (instrumentation.ts), so a
// bad value stops it with a message rather than failing sign-ups later.
import { z } from "zod";
import { hitSlidingRateLimit } from "./hit-sliding-rate-limit";

export const SIGN_UP_LIMIT_DEFAULTS = { limit: 20, windowSeconds: 60 * 60 };
const MAX_LIMIT = 10_000;
const MAX_WINDOW_SECONDS = 7 * 24 * 60 * 60;

/** An unset or empty variable takes the default; anything else must be a whole number in range. */
const setting = (what: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === "" ? String(fallback) : v.trim()))
    .pipe(z.string().regex(/^\d+$/, `must be a whole number of ${what}`))
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

export const SignUpLimitEnv = z.object({
  SIGNUP_RATE_LIMIT: setting("sign-ups", 1, MAX_LIMIT, SIGN_UP_LIMIT_DEFAULTS.limit),
  SIGNUP_RATE_WINDOW_SECONDS: setting("seconds", 1, MAX_WINDOW_SECONDS, SIGN_UP_LIMIT_DEFAULTS.windowSeconds),
});

export interface SignUpLimit {
  limit: number;
  windowSeconds: number;
}

/** A setting in the environment is not usable: the message names it, its value and what it takes. */
export class InvalidSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidSettingError";
  }
}

/** The sign-up limit the environment sets, or an InvalidSettingError saying what to fix. */
export function signUpLimitFromEnv(env: Record<string, string | undefined>): SignUpLimit {
  const parsed = SignUpLimitEnv.safeParse({ SIGNUP_RATE_LIMIT: env.SIGNUP_RATE_LIMIT, SIGNUP_RATE_WINDOW_SECONDS: env.SIGNUP_RATE_WINDOW_SECONDS });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `${name}=${JSON.stringify(env[name] ?? "")} ${issue.message}`;
    });
    throw new InvalidSettingError(
      `Invalid sign-up rate limit: ${problems.join("; ")}. SIGNUP_RATE_LIMIT is how many sign-ups one address may make ` +
        `(1–${MAX_LIMIT}, default ${SIGN_UP_LIMIT_DEFAULTS.limit}) within SIGNUP_RATE_WINDOW_SECONDS ` +
        `(1–${MAX_WINDOW_SECONDS}, default ${SIGN_UP_LIMIT_DEFAULTS.windowSeconds}); unset either to use its default.`,
    );
  }
  return { limit: parsed.data.SIGNUP_RATE_LIMIT, windowSeconds: parsed.data.SIGNUP_RATE_WINDOW_SECONDS };
}

let cached: { source: string; limit: SignUpLimit } | undefined;

function currentLimit(): SignUpLimit {
  const source = `${process.env.SIGNUP_RATE_LIMIT}|${process.env.SIGNUP_RATE_WINDOW_SECONDS}`;
  if (cached?.source !== source) cached = { source, limit: signUpLimitFromEnv(process.env) };
  return cached.limit;
}

/** Counts one sign-up from `address`, or throws RATE_LIMITED with how long to wait. */
export async function hitSignUpLimit(address: string, now = new Date(), limit: SignUpLimit = currentLimit()): Promise<void> {
  await hitSlidingRateLimit(
    { key: `sign-up:addr:${address}`, limit: limit.limit, windowSeconds: limit.windowSeconds, message: "Too many sign-ups from this address. Wait {retry} and try again." },
    now,
  );
}
