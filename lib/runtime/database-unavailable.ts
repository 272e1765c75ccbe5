// Telling "the database is away" (down, restarting, unreachable, out of connections) from every other failure, so the
// gateway can answer 503 with a reason instead of a 500 or the guest's own error page.
import type { KvSession } from "./kv-bridge";

/** Prisma codes for an unreachable server, a closed connection, a pool that could not connect. */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const MESSAGES =
  /can't reach database|DatabaseNotReachable|connection terminated|terminating connection|database system is (starting up|shutting down|in recovery)|server closed the connection|Connection (closed|refused)|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|57P0[123]|timed out fetching a new connection|too many clients|remaining connection slots|53300/i;

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

/**
 * Wraps a request's key-value session so that a call failing because the database is away is
 * remembered in `into.unavailable`: the gateway then answers 503 whatever the guest made of the
 * failed call (its writes are discarded).
 */
export function watchKvSession(session: KvSession | undefined, into: { unavailable?: unknown }): KvSession | undefined {
  if (!session) return undefined;
  const watch = <T>(promise: Promise<T>): Promise<T> =>
    promise.catch((error: unknown) => {
      if (isDatabaseUnavailable(error)) into.unavailable ??= error;
      throw error;
    });
  return {
    get: (key) => watch(session.get(key)),
    set: (key, value, ttlSeconds) => watch(session.set(key, value, ttlSeconds)),
    delete: (key) => watch(session.delete(key)),
    list: (prefix, after, limit) => watch(session.list(prefix, after, limit)),
    increment: (key, by) => watch(session.increment(key, by)),
    compareAndSet: (key, expected, value, ttlSeconds) => watch(session.compareAndSet(key, expected, value, ttlSeconds)),
    commit: () => session.commit(),
    discard: () => session.discard(),
  };
}
