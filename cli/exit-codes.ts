// Exit codes scripts can rely on (documented in docs/cli.md). Never renumber one: add new ones.
export const EXIT = {
  OK: 0,
  ERROR: 1,
  USAGE: 2,
  UNAUTHENTICATED: 3,
  NOT_FOUND: 4,
  CONFLICT: 5,
  VALIDATION: 6,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Every failure the CLI reports: a message for people, a code for scripts, the exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.ERROR,
    readonly details: { code?: string; status?: number; field?: string; hint?: string } = {},
  ) {
    super(message);
    this.name = "CliError";
  }
}

export function usageError(message: string, hint?: string): CliError {
  return new CliError(message, EXIT.USAGE, { code: "USAGE", hint });
}

/** The one table from an HTTP status to an exit code. */
export function exitCodeForStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return EXIT.UNAUTHENTICATED;
  if (status === 404) return EXIT.NOT_FOUND;
  if (status === 409) return EXIT.CONFLICT;
  if (status === 413 || status === 422) return EXIT.VALIDATION;
  return EXIT.ERROR;
}
