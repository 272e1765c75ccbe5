// An app's gateway metrics, as GET /apps/{app}/metrics answers them (docs/api.md).
import { z } from "zod";
import { Timestamp } from "./timestamp";

export const METRICS_WINDOW_NAMES = ["1h", "24h", "30d"] as const;
export type MetricsWindow = (typeof METRICS_WINDOW_NAMES)[number];

/** Requests, error rates and latency percentiles of a stretch of time (or of a route). */
export const Figures = z.object({
  requests: z.number(),
  errors4xx: z.number(),
  errors5xx: z.number(),
  /** Percent of requests. */
  errorRate4xx: z.number(),
  errorRate5xx: z.number(),
  /** Milliseconds; null without requests. */
  p50: z.number().nullable(),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
});
export type Figures = z.infer<typeof Figures>;

export const MetricsBucket = Figures.extend({
  /** Start of the bucket (ISO, UTC). */
  time: Timestamp,
  ratePerMinute: z.number(),
  s2xx: z.number(),
  s3xx: z.number(),
});
export type MetricsBucket = z.infer<typeof MetricsBucket>;

export const AppMetrics = z.looseObject({
  app: z.string(),
  window: z.enum(METRICS_WINDOW_NAMES),
  bucketSeconds: z.number(),
  from: Timestamp,
  to: Timestamp,
  /** The version the figures are limited to; null: every version. */
  version: z.string().nullable(),
  versions: z.array(z.string()),
  totals: Figures.extend({ ratePerMinute: z.number() }),
  series: z.array(MetricsBucket),
  statuses: z.array(z.object({ status: z.number(), count: z.number() })),
  routes: z.array(Figures.extend({ route: z.string() })),
});
export type AppMetrics = z.infer<typeof AppMetrics>;
