// An app's environment variables and secrets, as the REST API answers them (docs/api.md).
import { z } from "zod";
import { Timestamp } from "./timestamp";

/** "production" reaches the gateway; "preview" reaches the editor's in-browser preview. */
export const ENVIRONMENTS = ["production", "preview"] as const;

/**
 * A variable as the API and the console show it. A secret is only its name and when it changed:
 * its value never leaves the server, not even in part.
 */
export const EnvVarView = z.discriminatedUnion("secret", [
  z.looseObject({ name: z.string(), secret: z.literal(false), value: z.string(), updatedAt: Timestamp }),
  z.looseObject({ name: z.string(), secret: z.literal(true), updatedAt: Timestamp }),
]);
export type EnvVarView = z.infer<typeof EnvVarView>;

/** GET /apps/{app}/env: `plain` maps the plain variables (what the editor's preview gets). */
export const EnvVarsResponse = z.looseObject({
  environment: z.enum(ENVIRONMENTS),
  vars: z.array(EnvVarView),
  plain: z.record(z.string(), z.string()),
  /** How many variables one environment may hold. */
  maxVars: z.number(),
});
export type EnvVarsResponse = z.infer<typeof EnvVarsResponse>;
/** PUT /apps/{app}/env/{name}. */
export const EnvVarResponse = z.object({ var: EnvVarView });
