// What every command gets: parsed arguments, the API client, the app it acts on, and one way to
// print (human text, or JSON on stdout with --json).
import path from "node:path";
import type { ParseArgsConfig } from "node:util";
import { ApiClient } from "./api-client";
import { requireCredentials } from "./config";
import { usageError } from "./exit-codes";
import { readManifestName } from "./manifest";
import type { Writer } from "./output";

export interface Io {
  stdout: Writer;
  stderr: Writer;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Reads all of stdin (for `login` without --token); absent in tests that do not need it. */
  readStdin?: () => Promise<string>;
  /** Asks for a secret on the terminal without echoing it; present only when stdin is a terminal. */
  promptPassword?: (prompt: string) => Promise<string>;
  fetch?: typeof fetch;
}

export type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;

export interface Command {
  name: string;
  summary: string;
  /** e.g. `publish <version> [--dir <path>] [--app <name>]` */
  usage: string;
  /** Lines after the usage in `wasmcompute <command> --help`. */
  help?: string[];
  options: OptionsConfig;
  positionals: { min: number; max: number };
  run(ctx: Context): Promise<void>;
}

export class Context {
  constructor(
    readonly io: Io,
    readonly json: boolean,
    readonly values: Record<string, string | boolean | undefined>,
    readonly positionals: string[],
  ) {}

  string(name: string): string | undefined {
    const v = this.values[name];
    return typeof v === "string" ? v : undefined;
  }

  flag(name: string): boolean {
    return this.values[name] === true;
  }

  /** The folder commands read wasmcompute.yaml from: --dir, or the current directory. */
  dir(): string {
    return path.resolve(this.io.cwd, this.string("dir") ?? ".");
  }

  async client(): Promise<ApiClient> {
    const { url, token } = await requireCredentials(this.io.env);
    return new ApiClient(url, token, this.io.fetch);
  }

  /** The app from --app, else the `name` in the folder's wasmcompute.yaml. */
  async app(): Promise<string> {
    const explicit = this.string("app");
    if (explicit) return explicit;
    const name = await readManifestName(this.dir());
    if (name) return name;
    throw usageError("Which app? Pass --app <name>, or run the command in an app folder whose wasmcompute.yaml has a `name`.");
  }

  /** Human text to stdout, unless --json, in which case `data` is printed as JSON. */
  print(data: unknown, human: () => string): void {
    if (this.json) this.io.stdout.write(JSON.stringify(data, null, 2) + "\n");
    else this.io.stdout.write(human());
  }

  /** Progress and notes for people: stderr, so stdout stays clean for pipes and --json. */
  note(text: string): void {
    this.io.stderr.write(text);
  }
}

/** Options every command accepts. */
export const COMMON_OPTIONS: OptionsConfig = {
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

export const APP_OPTIONS: OptionsConfig = {
  app: { type: "string", short: "a" },
  dir: { type: "string" },
};
