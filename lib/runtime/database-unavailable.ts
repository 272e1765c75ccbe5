// The gateway's side of "the database is away" (lib/db/database-errors.ts tells it from other
// failures): a guest's key-value session that remembers such a failure, so the request answers 503.
import { isDatabaseUnavailable } from "@/lib/db/database-errors";
import type { KvSession } from "../deployment-record/ports";

export { isDatabaseUnavailable };

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
