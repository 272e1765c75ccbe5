import { ApiClient } from "../api-client";
import { AppsResponse, expectShape } from "../api-types";
import type { Command } from "../command";
import { configPath, normalizeUrl, readConfigFile, writeConfigFile } from "../config";
import { CliError, EXIT, usageError } from "../exit-codes";

export const login: Command = {
  name: "login",
  summary: "Check a console URL and API token and save them",
  usage: "login --url <console url> [--token <wc_…>]",
  help: [
    "Without --token the token is read from stdin (keeps it out of your shell history):",
    "  wasmcompute login --url https://console.example.com < token.txt",
    "Create tokens in the console (API tokens) with the deploy or admin scope.",
  ],
  options: { url: { type: "string" }, token: { type: "string" } },
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const rawUrl = ctx.string("url") ?? ctx.io.env.WASMCOMPUTE_URL;
    if (!rawUrl) throw usageError("Missing --url: the console's address, e.g. --url http://127.0.0.1:3000");
    const url = normalizeUrl(rawUrl);
    let token = ctx.string("token")?.trim();
    if (!token && ctx.io.readStdin) token = (await ctx.io.readStdin()).trim();
    if (!token) throw usageError("Missing --token (or the token on stdin): create one in the console under API tokens.");
    if (!token.startsWith("wc_")) throw usageError('That does not look like a WasmCompute token (they start with "wc_").');

    const client = new ApiClient(url, token, ctx.io.fetch);
    let apps: number;
    try {
      apps = expectShape(AppsResponse, await client.request("GET", "/apps"), "GET /apps").apps.length;
    } catch (e) {
      if (e instanceof CliError && e.exitCode === EXIT.UNAUTHENTICATED) {
        throw new CliError(`The console at ${url} rejected the token: ${e.message}`, EXIT.UNAUTHENTICATED, e.details);
      }
      throw e;
    }

    const file = configPath(ctx.io.env);
    const previous = await readConfigFile(file);
    await writeConfigFile(file, { ...previous, url, token });
    ctx.print({ url, configFile: file, apps }, () => `Logged in to ${url} (${apps} app${apps === 1 ? "" : "s"}). Saved to ${file}.\n`);
    if (ctx.io.env.WASMCOMPUTE_URL || ctx.io.env.WASMCOMPUTE_TOKEN) {
      ctx.note("Note: WASMCOMPUTE_URL / WASMCOMPUTE_TOKEN are set in the environment and take precedence over the saved login.\n");
    }
  },
};
