// A month of metered usage and its bill, as GET /usage answers it (docs/api.md); the invoice
// shapes (billing-shapes.ts) reuse its totals, plan and bill lines.
import { z } from "zod";

/** One tenant's (or app's, or day's) metered totals. */
export const UsageTotals = z.object({
  requests: z.number(),
  gbSeconds: z.number(),
  /** Guest run time in the workers (instantiate + run): what CPU-time pricing is applied to. */
  cpuMs: z.number(),
  egressBytes: z.number(),
  kvOps: z.number(),
  /** Outbound HTTP calls and their request + response body bytes (0 in invoices from before they were metered). */
  outboundCalls: z.number().default(0),
  outboundBytes: z.number().default(0),
});
export type UsageTotals = z.infer<typeof UsageTotals>;

const Month = z.string().regex(/^\d{4}-\d{2}$/);
const Day = z.iso.date();

export const UsageSummary = z.looseObject({
  month: Month,
  /** First day of the month and the first day after it (UTC dates). */
  from: Day,
  to: Day,
  /** Days of the month so far (all of them for a past month). */
  daysElapsed: z.number(),
  daysInMonth: z.number(),
  days: z.array(UsageTotals.extend({ day: Day })),
  apps: z.array(UsageTotals.extend({ app: z.string() })),
  totals: UsageTotals,
  /** Month-end figures at this month's daily average (equal to totals for a past month). */
  projected: UsageTotals,
});
export type UsageSummary = z.infer<typeof UsageSummary>;

/** The operator's price plan: a free tier and per-unit prices (PRICE_PLAN, lib/billing/price-plan.ts). */
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

/** One priced line, with the formula that produced it so anyone can check it. */
export const BillLine = z.object({
  item: z.string(),
  quantity: z.number(),
  unit: z.string(),
  included: z.number(),
  billable: z.number(),
  /** e.g. "$0.20 per 1M requests" */
  price: z.string(),
  amount: z.number(),
  formula: z.string(),
});
export type BillLine = z.infer<typeof BillLine>;

export const Bill = z.looseObject({
  provider: z.string(),
  plan: z.string(),
  currency: z.string(),
  lines: z.array(BillLine),
  total: z.number(),
  notes: z.array(z.string()),
});
export type Bill = z.infer<typeof Bill>;

/** GET /usage: the month's usage priced by the plan, beside AWS Lambda's and Cloudflare Workers' list prices. */
export const BillingSummary = z.looseObject({
  usage: UsageSummary,
  plan: PricePlan,
  /** Month to date (this month: never past a hard spending cap, the clamp shown as a line). */
  bill: Bill,
  /** At this month's daily average until its end. */
  projectedBill: Bill,
  comparisons: z.array(Bill),
});
export type BillingSummary = z.infer<typeof BillingSummary>;
