// Fixed-window counters in the database, so every console and gateway process shares them.
import { AppError } from "@/lib/errors";
import { db } from "@/lib/db/client";

export interface RateLimitRule {
  key: string;
  limit: number;
  windowSeconds: number;
  message: string;
}

/** Counts one hit; throws RATE_LIMITED once the window's count passes the limit. */
export async function hitRateLimit(rule: RateLimitRule, now = new Date()): Promise<void> {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const rows = await db().$queryRaw<{ count: number }[]>`
    INSERT INTO "RateLimitWindow" ("key", "windowStart", "count") VALUES (${rule.key}, ${windowStart}, 1)
    ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimitWindow"."count" + 1
    RETURNING "count"`;
  const count = Number(rows[0]?.count ?? 0);
  if (count > rule.limit) {
    const retryAfterSeconds = Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000);
    throw new AppError("RATE_LIMITED", rule.message.replace("{retry}", formatWait(retryAfterSeconds)), { retryAfterSeconds });
  }
}

/** Drops windows that ended long ago; cheap enough to call now and then. */
export async function pruneRateLimits(olderThan: Date): Promise<number> {
  const { count } = await db().rateLimitWindow.deleteMany({ where: { windowStart: { lt: olderThan } } });
  return count;
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
