// `wasmcompute env ls|set|rm`: an app's environment variables and secrets per environment.
// A secret's value is never printed: the API does not send it back.
import { seg } from "../api-client";
import { EnvVarResponse, EnvVarsResponse, expectShape } from "../api-types";
import { APP_OPTIONS, type Command, type Context } from "../command";
import { usageError } from "../exit-codes";
import { formatTime, table } from "../output";


const SUBCOMMANDS = "ls | set <NAME> [value] [--secret] | rm <NAME>";
const MASK = "••••••••";

export const env: Command = {
  name: "env",
  summary: "An app's environment variables and secrets: ls, set, rm (--env production|preview)",
  usage: `env ${SUBCOMMANDS} [--env production|preview] [--app <name>]`,
  help: [
    "--env picks the environment (default production: what the gateway passes to the app; preview: the editor's preview).",
    "set: the value is the argument, or stdin when there is none (use stdin for secrets, so they stay out of your shell history).",
    "--secret encrypts the value at rest; it is never shown again. Production changes apply to the next request, no new version needed.",
  ],
  options: { ...APP_OPTIONS, env: { type: "string", short: "e" }, secret: { type: "boolean" } },
  positionals: { min: 1, max: 3 },
  async run(ctx) {
    const [sub, name, value] = ctx.positionals;
    const environment = ctx.string("env") ?? "production";
    if (environment !== "production" && environment !== "preview") throw usageError(`--env is "production" or "preview", not "${environment}"`);
    const app = await ctx.app();
    const client = await ctx.client();
    const base = `/apps/${seg(app)}/env`;
    const q = `?environment=${environment}`;
    const needName = () => {
      if (!name) throw usageError(`Usage: wasmcompute env ${sub} <NAME>`);
      return name;
    };

    switch (sub) {
      case "ls":
      case "list": {
        const list = expectShape(EnvVarsResponse, await client.request("GET", `${base}${q}`), "GET env");
        ctx.print({ environment, vars: list.vars }, () =>
          list.vars.length
            ? table(["name", "value", "updated"], list.vars.map((v) => [v.name, v.secret ? `${MASK} (secret)` : v.value, formatTime(v.updatedAt)]))
            : `No variables in ${environment}.\n`,
        );
        return;
      }
      case "set": {
        const n = needName();
        const text = await readValue(ctx, value);
        const { var: saved } = expectShape(
          EnvVarResponse,
          await client.request("PUT", `${base}/${seg(n)}${q}`, { json: { value: text, secret: ctx.flag("secret") } }),
          "PUT env",
        );
        ctx.print({ environment, var: saved }, () => `Set ${saved.secret ? "secret" : "variable"} ${saved.name} in ${environment}.\n`);
        return;
      }
      case "rm":
      case "del":
      case "delete": {
        const n = needName();
        await client.request("DELETE", `${base}/${seg(n)}${q}`);
        ctx.print({ environment, deleted: n }, () => `Deleted ${n} from ${environment}.\n`);
        return;
      }
      default:
        throw usageError(`Unknown env subcommand "${sub}": use ${SUBCOMMANDS}`);
    }
  },
};

async function readValue(ctx: Context, value: string | undefined): Promise<string> {
  if (value !== undefined) return value;
  if (!ctx.io.readStdin) throw usageError("Usage: wasmcompute env set <NAME> <value> (or the value on stdin)");
  // One trailing newline is what `echo` and editors add; it is not part of the value.
  return (await ctx.io.readStdin()).replace(/\r?\n$/, "");
}
