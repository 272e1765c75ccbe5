// An invoice as stored (Invoice.lines / usage / plan are JSON columns) and as read back: parsed
// with zod, never trusted as-is.
import { z } from "zod";
import { PricePlan } from "./price-plan";
import { SPENDING_CAP_MODES } from "./spending-cap";

export const InvoiceMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "month: use YYYY-MM, e.g. 2025-01");

const Totals = z.object({ requests: z.number(), gbSeconds: z.number(), cpuMs: z.number(), egressBytes: z.number(), kvOps: z.number() });

export const InvoiceLine = z.object({
  item: z.string(),
  quantity: z.number(),
  unit: z.string(),
  included: z.number(),
  billable: z.number(),
  price: z.string(),
  amount: z.number(),
  formula: z.string(),
});
export type InvoiceLine = z.infer<typeof InvoiceLine>;

export const InvoiceUsage = z.object({
  from: z.string(),
  to: z.string(),
  totals: Totals,
  apps: z.array(Totals.extend({ app: z.string() })),
});
export type InvoiceUsage = z.infer<typeof InvoiceUsage>;

/** The plan of the moment the invoice was made, with the spending cap in force at the month's end. */
export const InvoicePlan = PricePlan.extend({
  spendingCap: z.object({ cap: z.number(), mode: z.enum(SPENDING_CAP_MODES) }).nullable(),
  notes: z.array(z.string()),
});
export type InvoicePlan = z.infer<typeof InvoicePlan>;

export interface Invoice {
  month: string;
  currency: string;
  total: number;
  createdAt: string;
  lines: InvoiceLine[];
  usage: InvoiceUsage;
  plan: InvoicePlan;
}

export function toInvoice(row: { month: string; currency: string; total: number; createdAt: Date; lines: unknown; usage: unknown; plan: unknown }): Invoice {
  return {
    month: row.month,
    currency: row.currency,
    total: row.total,
    createdAt: row.createdAt.toISOString(),
    lines: z.array(InvoiceLine).parse(row.lines),
    usage: InvoiceUsage.parse(row.usage),
    plan: InvoicePlan.parse(row.plan),
  };
}
