// The vocabulary of an app's environment variables and secrets: names, environments, limits and
// the REST input, shared by the API, the console, the CLI and the gateway, so a name valid in
// one place is valid everywhere.
import { z } from "zod";

import { ENVIRONMENTS } from "../api-shapes/env-shapes";

export { ENVIRONMENTS };
export const Environment = z.enum(ENVIRONMENTS, "environment must be \"production\" or \"preview\"");
export type Environment = z.infer<typeof Environment>;

export const ENV_NAME_MAX = 128;
/** Longest value, in UTF-8 bytes (a secret is measured before it is sealed). */
export const ENV_VALUE_MAX_BYTES = 16 * 1024;
/** Most variables (plain and secret together) per app and environment. */
export const ENV_MAX_VARS = 100;

/**
 * Names the WAGI host sets for every request (lib/wasm/wagi-environment.ts). They would win over
 * an app's value anyway, so a variable with one of them would silently never reach the guest:
 * it is refused instead. env-schemas.test.ts checks this list against what the host really sets.
 */
export const WAGI_NAMES = [
  "AUTH_TYPE",
  "GATEWAY_INTERFACE",
  "PATH_INFO",
  "PATH_TRANSLATED",
  "QUERY_STRING",
  "REQUEST_METHOD",
  "SCRIPT_NAME",
] as const;
export const WAGI_PREFIXES = ["HTTP_", "X_", "SERVER_", "REMOTE_", "CONTENT_"] as const;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const encoder = new TextEncoder();

/** Why a name cannot be used, or null when it is fine. */
export function envNameProblem(name: string): string | null {
  if (name.length === 0) return "A variable needs a name.";
  if (name.length > ENV_NAME_MAX) return `A variable name is at most ${ENV_NAME_MAX} characters.`;
  if (!NAME.test(name)) return "A variable name uses letters, digits and underscores, and does not start with a digit (e.g. API_KEY).";
  if ((WAGI_NAMES as readonly string[]).includes(name)) {
    return `${name} is set by the gateway for every request (WAGI/CGI), so the app would never see this value. Pick another name.`;
  }
  const prefix = WAGI_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) {
    return `Names starting with ${prefix} are set by the gateway for every request (WAGI/CGI: ${prefix === "HTTP_" ? "request headers" : "request details"}), so the app would never see this value. Pick another name.`;
  }
  return null;
}

/** Why a value cannot be stored, or null when it is fine. */
export function envValueProblem(value: string): string | null {
  if (value.includes("\0")) return "A value cannot contain a NUL character (environment variables cannot hold one).";
  const bytes = encoder.encode(value).length;
  if (bytes > ENV_VALUE_MAX_BYTES) return `The value is ${bytes} bytes; a variable holds at most ${ENV_VALUE_MAX_BYTES} bytes.`;
  return null;
}

export const EnvName = z.string().superRefine((name, ctx) => {
  const problem = envNameProblem(name);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const EnvValue = z.string().superRefine((value, ctx) => {
  const problem = envValueProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const SetEnvVarInput = z.object({
  value: EnvValue,
  /** Sealed at rest and never shown again; the gateway decrypts it for the guest. */
  secret: z.boolean().default(false),
});
export type SetEnvVarInput = z.infer<typeof SetEnvVarInput>;

/** What the API and the console show of a variable: lib/api-shapes/env-shapes.ts. */
export type { EnvVarView } from "../api-shapes/env-shapes";
