// Where the CLI finds the console and its token: the environment wins over the config file, field
// by field, so CI can set WASMCOMPUTE_TOKEN and keep the URL from `wasmcompute login`.
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { ConfigError, parseSettings } from "../lib/config/parse-settings";
import { httpUrl, text } from "../lib/config/setting";
import { CliError, EXIT } from "./exit-codes";

/** The CLI's settings (README's settings table): the environment wins over the config file. */
export const CliSettings = z.object({
  WASMCOMPUTE_URL: httpUrl(),
  WASMCOMPUTE_TOKEN: text(),
  WASMCOMPUTE_CONFIG: text(),
  XDG_CONFIG_HOME: text(),
  HOME: text(),
  WASMCOMPUTE_DEBUG: text(),
});
export type CliSettings = z.output<typeof CliSettings>;

/** The CLI's settings read from `env`, or a usage error naming each bad one (checked as every command starts). */
export function readCliSettings(env: Env): CliSettings {
  try {
    return parseSettings(CliSettings, env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    throw new CliError(e.problems.join("; "), EXIT.USAGE, { code: "CONFIG", hint: "Fix or unset it in the environment." });
  }
}

export const StoredConfig = z.object({
  url: z.string().optional(),
  token: z.string().optional(),
});
export type StoredConfig = z.infer<typeof StoredConfig>;

export interface ResolvedConfig {
  url?: string;
  token?: string;
  /** Where each value came from, for `wasmcompute login`'s and error messages' sake. */
  source: { url?: "env" | "file"; token?: "env" | "file" };
  file: string;
}

type Env = Record<string, string | undefined>;

export function configPath(env: Env = process.env): string {
  const settings = readCliSettings(env);
  if (settings.WASMCOMPUTE_CONFIG) return path.resolve(settings.WASMCOMPUTE_CONFIG);
  const base = settings.XDG_CONFIG_HOME || path.join(settings.HOME || os.homedir(), ".config");
  return path.join(base, "wasmcompute", "config.json");
}

export async function readConfigFile(file: string): Promise<StoredConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new CliError(`Cannot read the config file ${file}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`The config file ${file} is not valid JSON; fix it or run \`wasmcompute login\` again.`);
  }
  const parsed = StoredConfig.safeParse(json);
  if (!parsed.success) throw new CliError(`The config file ${file} has an unexpected shape; run \`wasmcompute login\` again.`);
  return parsed.data;
}

export async function resolveConfig(env: Env = process.env): Promise<ResolvedConfig> {
  const file = configPath(env);
  const stored = await readConfigFile(file);
  const source: ResolvedConfig["source"] = {};
  let url = stored.url;
  let token = stored.token;
  if (url) source.url = "file";
  if (token) source.token = "file";
  const settings = readCliSettings(env);
  if (settings.WASMCOMPUTE_URL) (url = settings.WASMCOMPUTE_URL), (source.url = "env");
  if (settings.WASMCOMPUTE_TOKEN) (token = settings.WASMCOMPUTE_TOKEN), (source.token = "env");
  return { url: url ? normalizeUrl(url) : undefined, token, source, file };
}

/** The URL and token every authenticated command needs, or a "not authenticated" error. */
export async function requireCredentials(env: Env = process.env): Promise<{ url: string; token: string }> {
  const config = await resolveConfig(env);
  if (!config.url || !config.token) {
    const missing = [!config.url && "console URL", !config.token && "token"].filter(Boolean).join(" and ");
    throw new CliError(
      `Not logged in (no ${missing}). Run \`wasmcompute login --url <console url> --token <wc_…>\` or set WASMCOMPUTE_URL and WASMCOMPUTE_TOKEN.`,
      EXIT.UNAUTHENTICATED,
      { code: "NOT_LOGGED_IN" },
    );
  }
  return { url: config.url, token: config.token };
}

/** Writes the file readable by its owner only (it holds a secret), atomically. */
export async function writeConfigFile(file: string, config: StoredConfig): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(config, null, 2) + "\n", { mode: 0o600 });
  await chmod(tmp, 0o600); // in case the umask or an existing file kept wider bits
  await rename(tmp, file);
}

export function normalizeUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`"${raw}" is not a URL; give the console's address, e.g. http://127.0.0.1:3000`, EXIT.USAGE, { code: "USAGE" });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CliError(`The console URL must start with http:// or https:// (got "${raw}")`, EXIT.USAGE, { code: "USAGE" });
  }
  return url.toString().replace(/\/+$/, "");
}
