// An invoice as stored (Invoice.lines / usage / plan are JSON columns) and as read back: parsed
// with the API's own schemas (lib/api-shapes/billing-shapes.ts), never trusted as-is.
import { z } from "zod";
import { InvoicePlan, InvoiceUsage, type Invoice } from "@/lib/api-shapes/billing-shapes";
import { BillLine } from "@/lib/api-shapes/usage-shapes";

export type { Invoice, InvoicePlan, InvoiceUsage };

export const InvoiceMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "month: use YYYY-MM, e.g. 2025-01");

export function toInvoice(row: { month: string; currency: string; total: number; createdAt: Date; lines: unknown; usage: unknown; plan: unknown }): Invoice {
  return {
    month: row.month,
    currency: row.currency,
    total: row.total,
    createdAt: row.createdAt.toISOString(),
    lines: z.array(BillLine).parse(row.lines),
    usage: InvoiceUsage.parse(row.usage),
    plan: InvoicePlan.parse(row.plan),
  };
}
