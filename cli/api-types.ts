// The response shapes of docs/api.md the CLI relies on, checked when they arrive so a server that
// differs fails with a clear message instead of printing "undefined". They are the server's own
// schemas (lib/api-shapes, relative imports: the CLI runs without the "@/" alias); their objects
// are loose, so new fields a server adds pass through to --json output untouched.
import type { z } from "zod";
import { CliError } from "./exit-codes";

export {
  AppResponse,
  AppsResponse,
  AppView as App,
  DeploymentResponse,
  DeploymentsResponse,
  DeploymentView as Deployment,
  LiveRouteView as LiveRoute,
} from "../lib/api-shapes/app-shapes";
export { VersionResponse, VersionsResponse, VersionView as Version } from "../lib/api-shapes/version-shapes";
export { CreatedTokenResponse, PasswordLoginResponse, SignUpResponse, TokensResponse, TokenView as Token } from "../lib/api-shapes/token-shapes";
export { TemplateFilesResponse, TemplatesResponse, TemplateView as Template } from "../lib/api-shapes/template-shapes";
export { KvDeletedResponse, KvEntryResponse, KvIncrementResponse, KvPageResponse, KvUsageResponse } from "../lib/api-shapes/kv-shapes";
export { EnvVarResponse, EnvVarsResponse, EnvVarView as EnvVar } from "../lib/api-shapes/env-shapes";
export { ScheduledRunResponse, SchedulesResponse } from "../lib/api-shapes/schedule-shapes";

/** Checks a response against its schema; a mismatch names the field, for the bug report. */
export function expectShape<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue?.path.map(String).join(".") || "(root)";
  throw new CliError(`The server's answer to ${what} has an unexpected shape at ${where}: ${issue?.message}. Is the CLI older or newer than the server?`);
}
