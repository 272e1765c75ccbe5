// A tenant's spending cap and invoices, as the REST API answers them (docs/api.md).
import { z } from "zod";
import { Timestamp } from "./timestamp";
import { BillLine, PricePlan, UsageTotals } from "./usage-shapes";

export const SPENDING_CAP_MODES = ["hard", "alert"] as const;

/** The cap and how far the month's bill has gone towards it. */
export const SpendingCapState = z.looseObject({
  cap: z.number().nullable(),
  mode: z.enum(SPENDING_CAP_MODES),
  currency: z.string(),
  /** YYYY-MM. */
  month: z.string(),
  /** The month's bill so far (before any clamp). */
  spent: z.number(),
  /** spent ÷ cap × 100; null without a cap. */
  percent: z.number().nullable(),
  /** ≥ 80%: the console warns. */
  warning: z.boolean(),
  /** ≥ 100%: in hard mode the gateway answers 402. */
  reached: z.boolean(),
  /** reached in hard mode. */
  blocking: z.boolean(),
});
export type SpendingCapState = z.infer<typeof SpendingCapState>;

/** GET /billing and PUT /billing/cap. */
export const SpendingCapResponse = z.object({ spendingCap: SpendingCapState });
export type SpendingCapResponse = z.infer<typeof SpendingCapResponse>;

/** An invoice's usage: the month's totals and per-app totals. */
export const InvoiceUsage = z.object({
  from: z.string(),
  to: z.string(),
  totals: UsageTotals,
  apps: z.array(UsageTotals.extend({ app: z.string() })),
});
export type InvoiceUsage = z.infer<typeof InvoiceUsage>;

/** The plan of the moment the invoice was made, with the spending cap in force at the month's end. */
export const InvoicePlan = PricePlan.extend({
  spendingCap: z.object({ cap: z.number(), mode: z.enum(SPENDING_CAP_MODES) }).nullable(),
  notes: z.array(z.string()),
});
export type InvoicePlan = z.infer<typeof InvoicePlan>;

/** A closed month's bill as listed: the lines are in the full invoice. */
export const InvoiceSummary = z.looseObject({
  /** YYYY-MM. */
  month: z.string(),
  currency: z.string(),
  total: z.number(),
  createdAt: Timestamp,
});
export type InvoiceSummary = z.infer<typeof InvoiceSummary>;

export const Invoice = InvoiceSummary.extend({
  lines: z.array(BillLine),
  usage: InvoiceUsage,
  plan: InvoicePlan,
});
export type Invoice = z.infer<typeof Invoice>;

/** GET /billing/invoices. */
export const InvoicesResponse = z.object({ invoices: z.array(InvoiceSummary) });
export type InvoicesResponse = z.infer<typeof InvoicesResponse>;

/** GET /billing/invoices/{month} (JSON; the .csv form is text). */
export const InvoiceResponse = z.object({ invoice: Invoice });
export type InvoiceResponse = z.infer<typeof InvoiceResponse>;
