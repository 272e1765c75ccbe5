// Requests the gateway refused or cut short because an app reached one of its limits (size, time,
// memory, concurrency, the spending cap), per app and limit: what the overview lists as "apps over
// their limits". The gateway records the cause as the request's errorCode (lib/logs/log-sink.ts).
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import type { GatewayErrorCode } from "@/lib/deployment-record/ports";

/** Each limit's error code, and what reaching it means, in words. */
export const LIMIT_CODES = {
  "request-too-large": "requests over its size limit were refused (413)",
  "response-too-large": "responses over its size limit were cut off",
  "deadline-exceeded": "requests ran past its time limit and were stopped",
  "out-of-memory": "requests ran out of its memory limit",
  "too-many-requests": "requests were turned away past its concurrency limit (429)",
  "spending-cap-reached": "requests were refused: the month's spending cap is reached (402)",
} as const satisfies Partial<Record<GatewayErrorCode, string>>;

export type LimitCode = keyof typeof LIMIT_CODES;

export interface LimitHit {
  app: string;
  limit: LimitCode;
  /** What reaching the limit means, in words. */
  meaning: string;
  count: number;
  /** The latest such request (ISO, UTC). */
  lastAt: string;
}

export async function findLimitHits({ actor, from, to }: { actor: Pick<Actor, "tenantId">; from: Date; to: Date }): Promise<LimitHit[]> {
  const codes = Object.keys(LIMIT_CODES) as LimitCode[];
  // The codes are this file's constants, spelled out as literals: no array parameter, which the
  // embedded database's adapter and PostgreSQL's would bind differently.
  const rows = await db().$queryRawUnsafe<{ appId: string; errorCode: LimitCode; count: number; lastAt: string }[]>(
    `SELECT "appId"::text AS "appId", "errorCode", count(*)::int AS count,
            to_char(max(time), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "lastAt"
     FROM "RequestRecord"
     WHERE "tenantId" = $1::uuid AND time >= $2::timestamp(3) AND time < $3::timestamp(3)
       AND "appId" IS NOT NULL AND "errorCode" IN (${codes.map((c) => `'${c}'`).join(", ")})
     GROUP BY 1, 2`,
    actor.tenantId,
    from.toISOString(),
    to.toISOString(),
  );
  if (rows.length === 0) return [];
  const apps = await db().app.findMany({ where: { tenantId: actor.tenantId, id: { in: [...new Set(rows.map((r) => r.appId))] } }, select: { id: true, name: true } });
  const names = new Map(apps.map((a) => [a.id, a.name]));
  return rows
    .filter((r) => names.has(r.appId))
    .map((r) => ({ app: names.get(r.appId)!, limit: r.errorCode, meaning: LIMIT_CODES[r.errorCode], count: Number(r.count), lastAt: r.lastAt }))
    .sort((a, b) => b.count - a.count || a.app.localeCompare(b.app) || a.limit.localeCompare(b.limit));
}
