// The operator's price plan: a free tier and per-unit prices, from configuration.
// PRICE_PLAN (JSON, validated below) overrides the default; partial objects merge over it.
import { z } from "zod";

export const PricePlan = z.object({
  name: z.string().min(1),
  currency: z.string().length(3),
  /** A fixed monthly fee (0: pay per use only). */
  monthlyFee: z.number().min(0),
  /** Included every month before unit prices apply. */
  free: z.object({
    requests: z.number().min(0),
    gbSeconds: z.number().min(0),
    egressGB: z.number().min(0),
    kvOps: z.number().min(0),
  }),
  unit: z.object({
    perMillionRequests: z.number().min(0),
    perGbSecond: z.number().min(0),
    perEgressGB: z.number().min(0),
    perMillionKvOps: z.number().min(0),
  }),
  /** The largest publish upload (module, manifest and files), in bytes; absent: UPLOAD_MAX_BYTES. */
  uploadMaxBytes: z.number().int().min(1024, "uploadMaxBytes: at least 1024").optional(),
});
export type PricePlan = z.infer<typeof PricePlan>;

export const DEFAULT_PRICE_PLAN: PricePlan = {
  name: "Pay as you go",
  currency: "USD",
  monthlyFee: 0,
  free: { requests: 1_000_000, gbSeconds: 400_000, egressGB: 10, kvOps: 1_000_000 },
  unit: { perMillionRequests: 0.25, perGbSecond: 0.0000125, perEgressGB: 0.05, perMillionKvOps: 0.5 },
};

/** A plan's publish upload cap: its own uploadMaxBytes, else the server's default (UPLOAD_MAX_BYTES). */
export function uploadCapOf(plan: PricePlan, serverDefault: number): number {
  return plan.uploadMaxBytes ?? serverDefault;
}

const PartialPlan = PricePlan.partial().extend({ free: PricePlan.shape.free.partial().optional(), unit: PricePlan.shape.unit.partial().optional() });

export function getPricePlan(env: Record<string, string | undefined> = process.env): PricePlan {
  const raw = env.PRICE_PLAN;
  if (!raw) return DEFAULT_PRICE_PLAN;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error("PRICE_PLAN is not valid JSON");
  }
  const parsed = PartialPlan.safeParse(json);
  if (!parsed.success) throw new Error(`PRICE_PLAN: ${z.prettifyError(parsed.error)}`);
  const p = parsed.data;
  return PricePlan.parse({
    ...DEFAULT_PRICE_PLAN,
    ...p,
    free: { ...DEFAULT_PRICE_PLAN.free, ...p.free },
    unit: { ...DEFAULT_PRICE_PLAN.unit, ...p.unit },
  });
}
