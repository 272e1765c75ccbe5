// The operator's price plan: a free tier and per-unit prices, from configuration.
// PRICE_PLAN (JSON, validated below) overrides the default; partial objects merge over it.
import { z } from "zod";
import { PricePlan } from "@/lib/api-shapes/usage-shapes";

// The schema is the API's (GET /usage answers the plan); PRICE_PLAN is parsed with it below.
export { PricePlan };

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

export function getPricePlan(env: Record<string, string | undefined>): PricePlan {
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
