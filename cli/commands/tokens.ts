import { seg } from "../api-client";
import { CreatedTokenResponse, expectShape, TokensResponse } from "../api-types";
import type { Command } from "../command";
import { usageError } from "../exit-codes";
import { formatTime, table } from "../output";

const SCOPES = ["read", "deploy", "admin", "owner"];

export const tokens: Command = {
  name: "tokens",
  summary: "List API tokens (needs an admin token); create or revoke one",
  usage: "tokens [list] | tokens create <name> --scope read|deploy|admin|owner [--expires-in-days N] | tokens revoke <id>",
  help: ["`tokens create` prints the secret once (stdout): store it right away.", "Without --expires-in-days the token never expires; after its expiry it answers 401 saying so."],
  options: { scope: { type: "string", short: "s" }, "expires-in-days": { type: "string" } },
  positionals: { min: 0, max: 2 },
  async run(ctx) {
    const [sub = "list", arg] = ctx.positionals;
    const client = await ctx.client();
    if (sub === "list") {
      if (arg !== undefined) throw usageError("`tokens list` takes no argument");
      const { tokens: list } = expectShape(TokensResponse, await client.request("GET", "/tokens"), "GET /tokens");
      ctx.print({ tokens: list }, () =>
        list.length
          ? table(
              ["id", "name", "scope", "prefix", "created", "last used", "expires", "revoked"],
              list.map((t) => [t.id, t.name, t.scope, t.prefix, formatTime(t.createdAt), formatTime(t.lastUsedAt), t.expiresAt ? formatTime(t.expiresAt) : "never", t.revokedAt ? formatTime(t.revokedAt) : ""]),
            )
          : "No API tokens.\n",
      );
      return;
    }
    if (sub === "create") {
      const scope = ctx.string("scope") ?? "deploy";
      if (!arg) throw usageError("Usage: wasmcompute tokens create <name> --scope read|deploy|admin|owner");
      if (!SCOPES.includes(scope)) throw usageError(`--scope must be one of ${SCOPES.join(", ")}`);
      const days = ctx.string("expires-in-days");
      if (days !== undefined && !/^[1-9]\d*$/.test(days)) throw usageError("--expires-in-days must be a whole number of days, 1 or more");
      const json = { name: arg, scope, ...(days === undefined ? {} : { expiresInDays: Number(days) }) };
      const created = expectShape(CreatedTokenResponse, await client.request("POST", "/tokens", { json }), "POST /tokens");
      ctx.print(created, () => `${created.secret}\n`);
      const expiry = created.token.expiresAt ? `, expires ${formatTime(created.token.expiresAt)}` : "";
      ctx.note(`Created token "${created.token.name}" (${created.token.scope}${expiry}). The secret above is shown only once.\n`);
      return;
    }
    if (sub === "revoke") {
      if (!arg) throw usageError("Usage: wasmcompute tokens revoke <id>");
      await client.request("DELETE", `/tokens/${seg(arg)}`);
      ctx.print({ revoked: arg }, () => `Revoked token ${arg}.\n`);
      return;
    }
    throw usageError(`Unknown tokens subcommand "${sub}": use list, create or revoke`);
  },
};
