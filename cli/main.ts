// `wasmcompute <command> …`: finds the command, parses its arguments with node:util parseArgs,
// runs it and turns every failure into a message on stderr and a documented exit code.
import { readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { Context, COMMON_OPTIONS, type Command, type Io } from "./command";
import { apps, deleteApp, versions } from "./commands/apps";
import { deploy, deployments, rollback, undeploy } from "./commands/deploy";
import { login } from "./commands/login";
import { signup } from "./commands/signup";
import { logs } from "./commands/logs";
import { newApp } from "./commands/new";
import { publish } from "./commands/publish";
import { tokens } from "./commands/tokens";
import { kv } from "./commands/kv";
import { env } from "./commands/env";
import { readCliSettings } from "./config";
import { CliError, EXIT, usageError } from "./exit-codes";
import { PromptInterrupted, promptHidden } from "./password";

export const COMMANDS: Command[] = [signup, login, newApp, publish, deploy, rollback, undeploy, apps, versions, deployments, logs, kv, env, deleteApp, tokens];

function cliVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(import.meta.dirname, "..", "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

export function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "Usage: wasmcompute <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Every command takes --json (machine-readable output on stdout) and --help.",
    "Commands that act on an app take --app <name>, or read `name` from ./wasmcompute.yaml (or --dir).",
    "Login: `wasmcompute login --url <console> --token <wc_…>` or `--email <email>` (asks for the password),",
    "`wasmcompute signup` for a new account, or WASMCOMPUTE_URL and WASMCOMPUTE_TOKEN.",
    "Exit codes: 0 ok, 1 error, 2 usage, 3 not authenticated, 4 not found, 5 conflict, 6 validation.",
    "",
  ].join("\n");
}

export function commandHelp(c: Command): string {
  return [`Usage: wasmcompute ${c.usage}`, "", c.summary + ".", ...(c.help?.length ? ["", ...c.help] : []), ""].join("\n");
}

export async function run(argv: string[], io: Io): Promise<number> {
  let json = false;
  let i = 0;
  // Only boolean flags may come before the command; everything else belongs to the command.
  for (; i < argv.length && argv[i]!.startsWith("-"); i++) {
    const flag = argv[i];
    if (flag === "--json") json = true;
    else if (flag === "--help" || flag === "-h") return io.stdout.write(generalHelp()), EXIT.OK;
    else if (flag === "--version" || flag === "-v") return io.stdout.write(`${cliVersion()}\n`), EXIT.OK;
    else return report(usageError(`Unknown option ${flag} before the command.`, "Run `wasmcompute --help`."), io, json);
  }
  const name = argv[i];
  const rest = argv.slice(i + 1);
  if (!name) {
    io.stderr.write(generalHelp());
    return EXIT.USAGE;
  }
  if (name === "help") {
    const target = COMMANDS.find((c) => c.name === rest[0]);
    io.stdout.write(target ? commandHelp(target) : generalHelp());
    return EXIT.OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) return report(usageError(`Unknown command "${name}".`, "Run `wasmcompute --help` for the list."), io, json);
  try {
    readCliSettings(io.env);
  } catch (e) {
    return report(e, io, json);
  }

  try {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({ args: rest, options: { ...COMMON_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
    } catch (e) {
      const err = e as Error & { code?: string };
      const unknown = err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ? /'([^']+)'/.exec(err.message)?.[1] : undefined;
      throw usageError(unknown ? `Unknown option ${unknown} for ${command.name}.` : err.message, `Usage: wasmcompute ${command.usage}`);
    }
    const values = parsed.values as Record<string, string | boolean | undefined>;
    json ||= values.json === true;
    if (values.help) {
      io.stdout.write(commandHelp(command));
      return EXIT.OK;
    }
    const { min, max } = command.positionals;
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      const names = command.usage.match(/<[^>]+>/g) ?? [];
      const what =
        parsed.positionals.length < min
          ? `Missing ${names[parsed.positionals.length] ?? "arguments"}.`
          : `Unexpected argument "${parsed.positionals[max]}".`;
      throw usageError(what, `Usage: wasmcompute ${command.usage}`);
    }
    await command.run(new Context(io, json, values, parsed.positionals));
    return EXIT.OK;
  } catch (e) {
    return report(e, io, json);
  }
}

function report(e: unknown, io: Io, json: boolean): number {
  const error =
    e instanceof CliError
      ? e
      : new CliError(`Unexpected error: ${(e as Error)?.message ?? String(e)}`, EXIT.ERROR, { code: "UNEXPECTED" });
  io.stderr.write(`error: ${error.message}\n`);
  if (error.details.hint) io.stderr.write(`${error.details.hint}\n`);
  if (!(e instanceof CliError) && io.env.WASMCOMPUTE_DEBUG && e instanceof Error) io.stderr.write(`${e.stack}\n`);
  if (json) {
    const { code, status, field } = error.details;
    io.stdout.write(JSON.stringify({ error: { code: code ?? "ERROR", message: error.message, status, field, exitCode: error.exitCode } }, null, 2) + "\n");
  }
  return error.exitCode;
}

/** The real process's streams and environment. */
export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    async readStdin() {
      if (process.stdin.isTTY) {
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        try {
          return await new Promise<string>((resolve) => rl.question("API token (wc_…): ", resolve));
        } finally {
          rl.close();
        }
      }
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
    promptPassword: process.stdin.isTTY
      ? async (prompt) => {
          try {
            return await promptHidden(prompt, process.stdin, process.stderr);
          } catch (e) {
            // Ctrl-C in raw mode is a keystroke, not a signal: end the process as the signal would.
            if (e instanceof PromptInterrupted) process.kill(process.pid, "SIGINT");
            throw e;
          }
        }
      : undefined,
  };
}
