import { ApiClient } from "../api-client";
import { expectShape, SignUpResponse } from "../api-types";
import type { Command } from "../command";
import { CliError, usageError } from "../exit-codes";
import { passwordArgumentError, readPassword } from "../password";
import { consoleUrl, loginWithPassword, PASSWORD_LOGIN_OPTIONS } from "./login";

export const signup: Command = {
  name: "signup",
  summary: "Create an account and its tenant on a console, then log in to it",
  usage: "signup --email <email> --tenant <name> [--url <console url>] [--scope read|deploy|admin|owner] [--name <token name>]",
  help: [
    "The password is asked twice (not echoed) when stdin is a terminal, else read from",
    "WASMCOMPUTE_PASSWORD or the first line of stdin; never from an argument. At least 10 characters,",
    "mixing letters with digits or symbols.",
    "Then logs in as `login --email` does: a new API token (default scope admin), saved for the next commands.",
    "Sign-ups are limited per client address, as in the console.",
  ],
  options: { ...PASSWORD_LOGIN_OPTIONS, tenant: { type: "string" } },
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    if (ctx.string("password") !== undefined) throw passwordArgumentError();
    const url = await consoleUrl(ctx);
    const email = ctx.string("email");
    const tenant = ctx.string("tenant");
    if (!email) throw usageError("Missing --email: the address you will sign in with.");
    if (!tenant) throw usageError("Missing --tenant: your tenant's name (3–32 lowercase letters, digits and dashes); your apps answer under it.");
    const password = await readPassword(ctx, { confirm: true });

    const answer = await new ApiClient(url, null, ctx.io.fetch).request("POST", "/signup", { json: { email, password, tenant } });
    const created = expectShape(SignUpResponse, answer, "POST /signup");
    ctx.note(`Created tenant ${created.tenant} for ${created.email}.\n`);
    try {
      await loginWithPassword(ctx, url, email, password);
    } catch (e) {
      if (e instanceof CliError) {
        throw new CliError(e.message, e.exitCode, { ...e.details, hint: `The account exists: log in with \`wasmcompute login --url ${url} --email ${created.email}\`.` });
      }
      throw e;
    }
  },
};
