// The gateway view of one app (optionally one version): request rate, 4xx and 5xx rates,
// latency p50/p95/p99, the status-code mix and the routes table over the last hour (1-minute
// buckets), day (15-minute) or 30 days (1-day), computed by SQL aggregates over RequestRecord
// (percentile_cont: the same linear interpolation on PostgreSQL and on the embedded PGlite).
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { findAppOrThrow } from "@/lib/apps/find-app";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { METRICS_WINDOW_NAMES, type AppMetrics, type Figures, type MetricsBucket, type MetricsWindow } from "@/lib/api-shapes/metrics-shapes";

export const METRICS_WINDOWS = {
  "1h": { label: "Last hour", bucketSeconds: 60, buckets: 60 },
  "24h": { label: "Last day", bucketSeconds: 15 * 60, buckets: 96 },
  "30d": { label: "Last 30 days", bucketSeconds: 86_400, buckets: 30 },
} as const satisfies Record<MetricsWindow, unknown>;

export const MetricsQuery = z.object({
  window: z.enum(METRICS_WINDOW_NAMES, { error: "window: use 1h, 24h or 30d" }).default("1h"),
  version: z.string().min(1).max(64).optional(),
});

export type { AppMetrics, Figures, MetricsBucket, MetricsWindow };

export interface FiguresRow {
  requests: number;
  errors4xx: number;
  errors5xx: number;
  s2xx: number;
  s3xx: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** SQL select list of a FiguresRow (RequestRecord aggregates). */
export const FIGURES = `count(*)::int AS requests,
  (count(*) FILTER (WHERE status >= 400 AND status < 500))::int AS "errors4xx",
  (count(*) FILTER (WHERE status >= 500))::int AS "errors5xx",
  (count(*) FILTER (WHERE status >= 200 AND status < 300))::int AS "s2xx",
  (count(*) FILTER (WHERE status >= 300 AND status < 400))::int AS "s3xx",
  percentile_cont(0.5) WITHIN GROUP (ORDER BY "durationMs") AS p50,
  percentile_cont(0.95) WITHIN GROUP (ORDER BY "durationMs") AS p95,
  percentile_cont(0.99) WITHIN GROUP (ORDER BY "durationMs") AS p99`;

// time is timestamp(3) holding the UTC wall clock: an ISO text's "Z" is ignored by the cast, and
// extract(epoch …) of it is seconds since 1970 UTC.
const WHERE = `"appId" = $1::uuid AND time >= $2::timestamp(3) AND time < $3::timestamp(3) AND ($4::uuid IS NULL OR "versionId" = $4::uuid)`;

const round3 = (x: number | null) => (x === null ? null : Math.round(Number(x) * 1000) / 1000);

/** A FiguresRow as the API answers it: numbers, error rates in percent, milliseconds to 3 places. */
export function figures(r: FiguresRow | undefined): Figures {
  const requests = Number(r?.requests ?? 0);
  const pct = (n: number) => (requests ? Math.round((n / requests) * 100_000) / 1000 : 0);
  return {
    requests,
    errors4xx: Number(r?.errors4xx ?? 0),
    errors5xx: Number(r?.errors5xx ?? 0),
    errorRate4xx: pct(Number(r?.errors4xx ?? 0)),
    errorRate5xx: pct(Number(r?.errors5xx ?? 0)),
    p50: round3(r?.p50 ?? null),
    p95: round3(r?.p95 ?? null),
    p99: round3(r?.p99 ?? null),
  };
}

export async function findAppMetrics({
  actor,
  appName,
  query,
  now = new Date(),
}: {
  actor: Pick<Actor, "tenantId">;
  appName: string;
  query: unknown;
  now?: Date;
}): Promise<AppMetrics> {
  const app = await findAppOrThrow({ actor, name: appName });
  const { window, version } = MetricsQuery.parse(query);
  const { bucketSeconds, buckets } = METRICS_WINDOWS[window];

  const versions = await db().version.findMany({ where: { appId: app.id }, select: { id: true, version: true }, orderBy: { createdAt: "desc" } });
  let versionId: string | null = null;
  if (version) {
    const found = versions.find((v) => v.version === version);
    if (!found) throw new AppError("NOT_FOUND", `Version "${version}" of app "${app.name}" not found.`, { field: "version" });
    versionId = found.id;
  }

  const step = bucketSeconds * 1000;
  const fromMs = Math.floor(now.getTime() / step) * step - (buckets - 1) * step;
  const from = new Date(fromMs);
  // The end is exclusive: a record stamped this very millisecond is in.
  const to = new Date(now.getTime() + 1);
  const params = [app.id, from.toISOString(), to.toISOString(), versionId] as const;
  const q = db();
  const [totals, series, statuses, routes] = await Promise.all([
    q.$queryRawUnsafe<FiguresRow[]>(`SELECT ${FIGURES} FROM "RequestRecord" WHERE ${WHERE}`, ...params),
    q.$queryRawUnsafe<(FiguresRow & { bucket: number })[]>(
      `SELECT (floor(extract(epoch FROM time) / $5::int) * $5::int)::float8 AS bucket, ${FIGURES}
       FROM "RequestRecord" WHERE ${WHERE} GROUP BY 1 ORDER BY 1`,
      ...params,
      bucketSeconds,
    ),
    q.$queryRawUnsafe<{ status: number; count: number }[]>(
      `SELECT status, count(*)::int AS count FROM "RequestRecord" WHERE ${WHERE} GROUP BY status ORDER BY status`,
      ...params,
    ),
    q.$queryRawUnsafe<(FiguresRow & { route: string })[]>(
      `SELECT route, ${FIGURES} FROM "RequestRecord" WHERE ${WHERE} GROUP BY route ORDER BY count(*) DESC, route LIMIT 200`,
      ...params,
    ),
  ]);

  const byBucket = new Map(series.map((r) => [Number(r.bucket) * 1000, r]));
  const total = figures(totals[0]);
  const minutes = (to.getTime() - fromMs) / 60_000;
  return {
    app: app.name,
    window,
    bucketSeconds,
    from: from.toISOString(),
    to: now.toISOString(),
    version: version ?? null,
    versions: versions.map((v) => v.version),
    totals: { ...total, ratePerMinute: Math.round((total.requests / minutes) * 1000) / 1000 },
    series: Array.from({ length: buckets }, (_, i) => {
      const t = fromMs + i * step;
      const r = byBucket.get(t);
      return {
        time: new Date(t).toISOString(),
        ratePerMinute: Math.round((Number(r?.requests ?? 0) / (bucketSeconds / 60)) * 1000) / 1000,
        s2xx: Number(r?.s2xx ?? 0),
        s3xx: Number(r?.s3xx ?? 0),
        ...figures(r),
      };
    }),
    statuses: statuses.map((s) => ({ status: Number(s.status), count: Number(s.count) })),
    routes: routes.map((r) => ({ route: r.route || "(none)", ...figures(r) })),
  };
}
