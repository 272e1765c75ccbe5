/**
 * Why a guest run did not finish normally. Guest problems are data, never host
 * exceptions: the gateway turns them into a 500 with the message, the IDE shows them.
 * - trap: the guest trapped (unreachable, out-of-bounds access, stack overflow, a failed
 *   memory.grow the guest turned into an abort, or a host import that threw)
 * - output-too-large: stdout went past maxStdoutBytes / maxResponseBytes
 * - missing-entrypoint: the module does not export the requested function
 * - instantiate: imports could not be satisfied or the start function trapped
 */
export type GuestError = {
  kind: "trap" | "output-too-large" | "missing-entrypoint" | "instantiate";
  message: string;
};

/** A readable one-line message for anything a guest run threw. */
export function describeThrown(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}
