import os from "node:os";
import { ApiClient } from "../api-client";
import { AppsResponse, expectShape, PasswordLoginResponse, type Token } from "../api-types";
import type { Command, Context } from "../command";
import { configPath, normalizeUrl, readCliSettings, readConfigFile, writeConfigFile } from "../config";
import { CliError, EXIT, usageError } from "../exit-codes";
import { passwordArgumentError, readPassword } from "../password";

const SCOPES = ["read", "deploy", "admin", "owner"];

/** Options of the email + password logins (`login --email`, `signup`). */
export const PASSWORD_LOGIN_OPTIONS = {
  url: { type: "string" },
  email: { type: "string" },
  scope: { type: "string" },
  name: { type: "string" },
  // Declared only to refuse it with a reason (see passwordArgumentError).
  password: { type: "string" },
} as const;

export const login: Command = {
  name: "login",
  summary: "Log in to a console with an API token, or with your email and password",
  usage: "login [--url <console url>] [--token <wc_…> | --email <email> [--tenant <name>] [--scope read|deploy|admin|owner] [--name <token name>]]",
  help: [
    "With a token: checks it and saves it. Without --token (and --email) the token is read from stdin,",
    "which keeps it out of your shell history:",
    "  wasmcompute login --url https://console.example.com < token.txt",
    "Create tokens in the console (API tokens) with the deploy or admin scope.",
    "",
    "With --email: asks for the password (not echoed) when stdin is a terminal, else reads it from",
    "WASMCOMPUTE_PASSWORD or the first line of stdin; never from an argument. The console makes a new",
    'API token (named "cli on <this host>") and it is saved like a --token login. The token is bound to',
    "one tenant: --tenant NAME (one you are a member of; default your home tenant), with the scope of",
    "your role there unless --scope asks for a narrower one.",
    "Wrong passwords count towards the account's lockout, as in the console.",
    "",
    "--url defaults to WASMCOMPUTE_URL, then to the URL of the last login.",
  ],
  options: { ...PASSWORD_LOGIN_OPTIONS, token: { type: "string" }, tenant: { type: "string" } },
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    if (ctx.string("password") !== undefined) throw passwordArgumentError();
    const url = await consoleUrl(ctx);
    const email = ctx.string("email");
    if (email !== undefined) {
      if (ctx.string("token") !== undefined) throw usageError("Give --token or --email, not both.");
      await loginWithPassword(ctx, url, email, await readPassword(ctx));
      return;
    }
    for (const option of ["scope", "name", "tenant"]) {
      if (ctx.string(option) !== undefined) throw usageError(`--${option} goes with --email: it sets the token the console makes for you.`);
    }

    let token = ctx.string("token")?.trim();
    if (!token && ctx.io.readStdin) token = (await ctx.io.readStdin()).trim();
    if (!token) throw usageError("Missing --token (or the token on stdin): create one in the console under API tokens, or log in with --email.");
    if (!token.startsWith("wc_")) throw usageError('That does not look like a WasmCompute token (they start with "wc_").');

    let apps: number;
    try {
      apps = await countApps(ctx, url, token);
    } catch (e) {
      if (e instanceof CliError && e.exitCode === EXIT.UNAUTHENTICATED) {
        throw new CliError(`The console at ${url} rejected the token: ${e.message}`, EXIT.UNAUTHENTICATED, e.details);
      }
      throw e;
    }
    const file = await saveLogin(ctx, url, token);
    ctx.print({ url, configFile: file, apps }, () => `Logged in to ${url} (${apps} app${apps === 1 ? "" : "s"}). Saved to ${file}.\n`);
    noteEnvironment(ctx);
  },
};

/** --url, else WASMCOMPUTE_URL, else the URL the last login saved. */
export async function consoleUrl(ctx: Context): Promise<string> {
  const raw = ctx.string("url") ?? readCliSettings(ctx.io.env).WASMCOMPUTE_URL ?? (await readConfigFile(configPath(ctx.io.env))).url;
  if (!raw) throw usageError("Missing --url: the console's address, e.g. --url http://127.0.0.1:3000");
  return normalizeUrl(raw);
}

/**
 * POST /login for a new token (the console's sign-in limits, lockout and audit log apply there),
 * then the same check and save as a --token login.
 */
export async function loginWithPassword(ctx: Context, url: string, email: string, password: string): Promise<void> {
  // Omitted: the console gives the token the scope of the user's role in the tenant.
  const scope = ctx.string("scope");
  if (scope !== undefined && !SCOPES.includes(scope)) throw usageError(`--scope must be one of ${SCOPES.join(", ")}`);
  const name = ctx.string("name") ?? defaultTokenName();
  const tenant = ctx.string("tenant");
  let created: { token: Token; secret: string; tenant: string; email: string; role?: string };
  try {
    const json = { email, password, name, ...(scope ? { scope } : {}), ...(tenant ? { tenant } : {}) };
    const answer = await new ApiClient(url, null, ctx.io.fetch).request("POST", "/login", { json });
    created = expectShape(PasswordLoginResponse, answer, "POST /login");
  } catch (e) {
    if (e instanceof CliError && e.details.status !== undefined && e.details.status < 500) {
      throw new CliError(`The console at ${url} refused the sign-in: ${e.message}`, e.exitCode, e.details);
    }
    throw e;
  }
  // Saved first: the token is new and valid, and must not be lost if the check below fails.
  const file = await saveLogin(ctx, url, created.secret);
  const apps = await countApps(ctx, url, created.secret);
  const { token } = created;
  ctx.print({ url, configFile: file, email: created.email, tenant: created.tenant, token, apps }, () =>
    [
      `Logged in to ${url} as ${created.email} (tenant ${created.tenant}${created.role ? `, role ${created.role}` : ""}, ${apps} app${apps === 1 ? "" : "s"}).`,
      `New API token "${token.name}" (${token.scope}, ${token.prefix ?? token.id}…) saved to ${file}; revoke it with \`wasmcompute tokens revoke ${token.id}\`.`,
      "",
    ].join("\n"),
  );
  noteEnvironment(ctx);
}

/** "cli on <host>", within the 60 characters a token name may have. */
export function defaultTokenName(): string {
  return `cli on ${os.hostname() || "unknown host"}`.slice(0, 60);
}

async function countApps(ctx: Context, url: string, token: string): Promise<number> {
  return expectShape(AppsResponse, await new ApiClient(url, token, ctx.io.fetch).request("GET", "/apps"), "GET /apps").apps.length;
}

async function saveLogin(ctx: Context, url: string, token: string): Promise<string> {
  const file = configPath(ctx.io.env);
  const previous = await readConfigFile(file);
  await writeConfigFile(file, { ...previous, url, token });
  return file;
}

function noteEnvironment(ctx: Context): void {
  if (ctx.io.env.WASMCOMPUTE_URL || ctx.io.env.WASMCOMPUTE_TOKEN) {
    ctx.note("Note: WASMCOMPUTE_URL / WASMCOMPUTE_TOKEN are set in the environment and take precedence over the saved login.\n");
  }
}
