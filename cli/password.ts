// Where `login --email` and `signup` get a password: WASMCOMPUTE_PASSWORD, else a prompt that does
// not echo when stdin is a terminal, else the first line of stdin. Never from an argument: shell
// history and `ps` would show it.
import type { Context } from "./command";
import { CliError, usageError } from "./exit-codes";
import type { Writer } from "./output";

export const PASSWORD_ENV = "WASMCOMPUTE_PASSWORD";

export const PASSWORD_SOURCES =
  "Type it at the prompt (stdin a terminal), pipe it on stdin (`wasmcompute login --email you@example.com < password.txt`), or set WASMCOMPUTE_PASSWORD.";

/** What to tell someone who passed --password: it is refused, never used. */
export function passwordArgumentError(): CliError {
  return usageError("Passwords are not taken as arguments: shell history and `ps` would show them.", PASSWORD_SOURCES);
}

export async function readPassword(ctx: Context, { confirm = false }: { confirm?: boolean } = {}): Promise<string> {
  const fromEnv = ctx.io.env[PASSWORD_ENV];
  if (fromEnv) return fromEnv;
  if (ctx.io.promptPassword) {
    const password = await ctx.io.promptPassword("Password: ");
    if (!password) throw usageError("No password given.", PASSWORD_SOURCES);
    if (confirm && (await ctx.io.promptPassword("Password again: ")) !== password) {
      throw usageError("The two passwords differ; run the command again.");
    }
    return password;
  }
  // Piped: the first line, as typed (only its line break dropped).
  const text = ctx.io.readStdin ? await ctx.io.readStdin() : "";
  const password = text.split(/\r?\n/, 1)[0] ?? "";
  if (!password) throw usageError("No password: stdin is not a terminal and had none.", PASSWORD_SOURCES);
  return password;
}

/** A terminal's input as promptHidden needs it (process.stdin when it is a TTY). */
export interface TtyInput {
  setRawMode(raw: boolean): unknown;
  on(event: "data", listener: (chunk: Buffer | string) => void): unknown;
  off(event: "data", listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** Ctrl-C at the prompt: the caller ends the process as an interrupt would. */
export class PromptInterrupted extends Error {
  constructor() {
    super("Interrupted");
    this.name = "PromptInterrupted";
  }
}

/**
 * Prints `prompt` on `output` and reads one line from a terminal in raw mode, so nothing typed is
 * echoed. Raw mode is on before the prompt shows, so text typed once it shows is never echoed
 * either. Enter ends the line; Backspace and Ctrl-U edit it; Ctrl-D ends it; Ctrl-C rejects with
 * PromptInterrupted. The terminal is restored in every case.
 */
export function promptHidden(prompt: string, input: TtyInput, output: Writer): Promise<string> {
  return new Promise((resolve, reject) => {
    let chars: string[] = [];
    const finish = (settle: () => void) => {
      input.off("data", onData);
      input.setRawMode(false);
      input.pause();
      output.write("\n");
      settle();
    };
    const onData = (chunk: Buffer | string) => {
      const text = typeof chunk === "string" ? chunk : chunk.toString("utf8");
      if (text.startsWith("\u001b")) return; // arrow keys and other escape sequences
      for (const ch of text) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") return finish(() => resolve(chars.join("")));
        if (ch === "\u0003") return finish(() => reject(new PromptInterrupted()));
        if (ch === "\u007f" || ch === "\b") chars.pop();
        else if (ch === "\u0015") chars = [];
        else if (ch >= " ") chars.push(ch);
      }
    };
    input.setRawMode(true);
    input.on("data", onData);
    input.resume();
    output.write(prompt);
  });
}
