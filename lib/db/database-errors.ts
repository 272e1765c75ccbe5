// Telling "the database is away or too busy" (down, restarting, unreachable, out of connections,
// a query or a connection wait past its bound) from every other failure, so the gateway and the
// console answer 503 with a reason and Retry-After instead of a 500 or a silent wait.

/** Prisma codes for an unreachable server, a closed connection, a pool that could not connect. */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const MESSAGES =
  /Query read timeout|timeout exceeded when trying to connect|can't reach database|DatabaseNotReachable|connection terminated|terminating connection|database system is (starting up|shutting down|in recovery)|server closed the connection|Connection (closed|refused)|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|57P0[123]|timed out fetching a new connection|too many clients|remaining connection slots|53300/i;

/** True when `error` (or its cause, or a message that quotes one) says the database cannot be reached. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current != null; depth++) {
    if (typeof current === "string") return MESSAGES.test(current);
    if (typeof current !== "object") return false;
    const e = current as { code?: unknown; message?: unknown; meta?: unknown; cause?: unknown };
    if (typeof e.code === "string" && PRISMA_CODES.has(e.code)) return true;
    if (typeof e.message === "string" && MESSAGES.test(e.message)) return true;
    if (e.meta && MESSAGES.test(JSON.stringify(e.meta))) return true;
    current = e.cause;
  }
  return false;
}

/** Waits past their bound: the database is there but did not answer in time (a busy embedded database). */
const BUSY = /Query read timeout|timeout exceeded when trying to connect|timed out fetching a new connection|\bP2024\b|\bP2028\b/i;

/** True when `error` is a wait past its bound rather than an unreachable server (both answer 503). */
export function isDatabaseBusy(error: unknown): boolean {
  const texts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current != null; depth++) {
    if (typeof current !== "object") {
      texts.push(String(current));
      break;
    }
    const e = current as { code?: unknown; message?: unknown; meta?: unknown; cause?: unknown };
    texts.push(String(e.code ?? ""), String(e.message ?? ""), e.meta ? JSON.stringify(e.meta) : "");
    current = e.cause;
  }
  return BUSY.test(texts.join(" "));
}
