// The response shapes of docs/api.md the CLI relies on, checked when they arrive so a server that
// differs fails with a clear message instead of printing "undefined". Loose objects: new fields
// the server adds pass through to --json output untouched.
import { z } from "zod";
import { CliError } from "./exit-codes";

const Timestamp = z.string();

export const Deployment = z.looseObject({
  id: z.string(),
  version: z.string(),
  route: z.string(),
  createdAt: Timestamp,
  active: z.boolean().optional(),
  kind: z.string().optional(),
});
export type Deployment = z.infer<typeof Deployment>;

/** What a route of an app serves now (the API's App.live and App.routes). */
export const LiveRoute = z.looseObject({
  route: z.string(),
  version: z.string(),
  url: z.string().nullish(),
  deployedAt: Timestamp.nullish(),
});
export type LiveRoute = z.infer<typeof LiveRoute>;

export const App = z.looseObject({
  name: z.string(),
  createdAt: Timestamp,
  gatewayUrl: z.string().nullish(),
  live: LiveRoute.nullish(),
  routes: z.array(LiveRoute).optional(),
});
export type App = z.infer<typeof App>;

export const Version = z.looseObject({
  version: z.string(),
  createdAt: Timestamp,
  moduleSha256: z.string(),
  moduleSize: z.number().optional(),
  manifestSha256: z.string().nullish(),
  filesSha256: z.string().nullish(),
  tainted: z.boolean().optional(),
  /** The routes serving this version now. */
  live: z.array(z.string()).optional(),
});
export type Version = z.infer<typeof Version>;

export const Token = z.looseObject({
  id: z.string(),
  name: z.string(),
  scope: z.string(),
  prefix: z.string().nullish(),
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullish(),
  revokedAt: Timestamp.nullish(),
});
export type Token = z.infer<typeof Token>;

export const Template = z.looseObject({ id: z.string(), title: z.string().optional(), description: z.string().optional() });
export type Template = z.infer<typeof Template>;

/** GET /templates/:id?app=<name>: the files of a new local app folder. */
export const TemplateFilesResponse = z.object({
  template: Template,
  files: z.array(z.object({ path: z.string(), contentBase64: z.string() })),
});

export const AppsResponse = z.object({ apps: z.array(App) });
export const AppResponse = z.object({ app: App });
export const VersionsResponse = z.object({ versions: z.array(Version) });
export const VersionResponse = z.object({ version: Version });
export const DeploymentResponse = z.object({ deployment: Deployment });
export const DeploymentsResponse = z.object({ deployments: z.array(Deployment) });
export const TokensResponse = z.object({ tokens: z.array(Token) });
export const CreatedTokenResponse = z.object({ token: Token, secret: z.string() });
/** POST /signup. */
export const SignUpResponse = z.looseObject({ tenant: z.string(), email: z.string() });
/** POST /login: a new token from an email and password. */
export const PasswordLoginResponse = z.looseObject({ token: Token, secret: z.string(), tenant: z.string(), email: z.string() });
export const TemplatesResponse = z.object({ templates: z.array(Template) });

/** Checks a response against its schema; a mismatch names the field, for the bug report. */
export function expectShape<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue?.path.map(String).join(".") || "(root)";
  throw new CliError(`The server's answer to ${what} has an unexpected shape at ${where}: ${issue?.message}. Is the CLI older or newer than the server?`);
}
