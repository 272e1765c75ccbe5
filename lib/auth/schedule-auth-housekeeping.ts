// Every console process now and then deletes session rows that expired and sign-in counts nobody
// needs any more (deleting twice is harmless); neither is read once stale, this only keeps the
// tables small.
import { pruneExpiredSessions } from "./revoke-sessions";
import { pruneSignInThrottles } from "./sign-in-throttle";

export function scheduleAuthHousekeeping({ everyMs = 3_600_000, warn = console.error }: { everyMs?: number; warn?: (m: string) => void } = {}): () => void {
  const run = async () => {
    try {
      await pruneExpiredSessions();
      await pruneSignInThrottles();
    } catch (e) {
      warn(`[auth] pruning expired sessions and sign-in counts failed: ${(e as Error).message}`);
    }
  };
  const first = setTimeout(run, 30_000 + Math.random() * 30_000);
  const timer = setInterval(run, everyMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
