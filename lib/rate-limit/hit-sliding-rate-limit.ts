// Sliding-window (sliding-log) limits in the database, shared by every console process: each
// counted hit is a row (hits in the same millisecond share one, with a count), and a hit is allowed
// while fewer than `limit` hits are younger than `windowSeconds`. Every allowed hit frees its slot
// exactly one window after it was made, instead of all slots at a fixed boundary, and refused hits
// are not recorded, so retrying never pushes the wait further out.
import { AppError } from "@/lib/errors";
import { db } from "@/lib/db/client";
import type { RateLimitRule } from "./hit-rate-limit";

export interface Hit {
  at: Date;
  count: number;
}

export type SlidingDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Whether one more hit is allowed at `now`, given the recorded hits (any order, older ones ignored),
 * and if not, how long until enough of them have left the window for one more to fit.
 */
export function decideSlidingWindow(hits: Hit[], rule: Pick<RateLimitRule, "limit" | "windowSeconds">, now: Date): SlidingDecision {
  const windowMs = rule.windowSeconds * 1000;
  const inWindow = hits.filter((h) => h.at.getTime() > now.getTime() - windowMs).sort((a, b) => a.at.getTime() - b.at.getTime());
  const total = inWindow.reduce((sum, h) => sum + h.count, 0);
  if (total < rule.limit) return { allowed: true };
  // One more fits once `total - limit + 1` of the oldest hits have expired: when the hit that
  // brings the expired count to that number leaves the window.
  const mustExpire = total - rule.limit + 1;
  let expired = 0;
  let freesAt = now.getTime() + windowMs;
  for (const hit of inWindow) {
    expired += hit.count;
    if (expired >= mustExpire) {
      freesAt = hit.at.getTime() + windowMs;
      break;
    }
  }
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((freesAt - now.getTime()) / 1000)) };
}

/**
 * Counts one hit of `rule.key` at `now`, or throws RATE_LIMITED (429 with Retry-After) without
 * counting it. Serialized per key (a transaction-scoped advisory lock), so concurrent hits from
 * several processes never let more than `limit` through; rows that left the window are deleted.
 */
export async function hitSlidingRateLimit(rule: RateLimitRule, now = new Date()): Promise<void> {
  const windowStart = new Date(now.getTime() - rule.windowSeconds * 1000);
  const decision = await db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended(${rule.key}, 0))`;
    await tx.rateLimitWindow.deleteMany({ where: { key: rule.key, windowStart: { lte: windowStart } } });
    const rows = await tx.rateLimitWindow.findMany({ where: { key: rule.key }, select: { windowStart: true, count: true } });
    const decided = decideSlidingWindow(
      rows.map((r) => ({ at: r.windowStart, count: r.count })),
      rule,
      now,
    );
    if (decided.allowed) {
      await tx.$executeRaw`
        INSERT INTO "RateLimitWindow" ("key", "windowStart", "count") VALUES (${rule.key}, ${now}, 1)
        ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimitWindow"."count" + 1`;
    }
    return decided;
  });
  if (!decision.allowed) {
    throw new AppError("RATE_LIMITED", rule.message.replace("{retry}", formatWait(decision.retryAfterSeconds)), { retryAfterSeconds: decision.retryAfterSeconds });
  }
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
