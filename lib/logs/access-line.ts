// The access line every request gets in its log ("GET /path 200 1.3 ms"). It is not stored: the
// RequestRecord holds everything it says, and the id it takes among the request's lines
// (lineId, drawn before theirs), so the log API makes it when read, in the same place.
import { Prisma } from "@/lib/db/generated/client";

export interface AccessLineFields {
  method: string;
  path: string;
  status: number;
  durationMs: number;
  /** A schedule's run: the slot. */
  scheduledAt: string | null;
}

/** The line's text, as the sink stored it before (method and path were made storable then). */
export function accessLine(r: AccessLineFields): string {
  return `${r.scheduledAt ? `[scheduled ${r.scheduledAt}] ` : ""}${r.method} ${r.path} ${r.status} ${r.durationMs.toFixed(1)} ms`;
}

/**
 * The same text in SQL, over the RequestRecord `r`, for the text search only. It differs from
 * accessLine in one case: a duration whose hundredths are exactly 5 (0.15 ms) may show its tenth
 * rounded the other way, since toFixed rounds the binary value and PostgreSQL the decimal one.
 */
export const ACCESS_LINE_SQL = Prisma.sql`concat(
  CASE WHEN r."scheduledAt" IS NOT NULL THEN '[scheduled ' || r."scheduledAt" || '] ' END,
  r.method, ' ', r.path, ' ', r.status, ' ', round(r."durationMs"::numeric, 1), ' ms')`;
