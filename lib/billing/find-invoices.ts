// The tenant's invoices, newest first, and one invoice by month (JSON or CSV). Listing creates the
// missing closed-month invoices first (create-invoices.ts).
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { createMissingInvoices } from "./create-invoices";
import type { InvoiceSummary } from "@/lib/api-shapes/billing-shapes";
import { InvoiceMonth, toInvoice, type Invoice } from "./invoice-schema";

export type { InvoiceSummary };

export async function findInvoices({ actor, now }: { actor: Pick<Actor, "tenantId">; now?: Date }): Promise<InvoiceSummary[]> {
  await createMissingInvoices({ actor, now });
  const rows = await db().invoice.findMany({
    where: { tenantId: actor.tenantId },
    orderBy: { month: "desc" },
    select: { month: true, currency: true, total: true, createdAt: true },
  });
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

export async function findInvoice({ actor, month, now }: { actor: Pick<Actor, "tenantId">; month: string; now?: Date }): Promise<Invoice> {
  const m = InvoiceMonth.parse(month);
  let row = await db().invoice.findUnique({ where: { tenantId_month: { tenantId: actor.tenantId, month: m } } });
  if (!row) {
    await createMissingInvoices({ actor, now });
    row = await db().invoice.findUnique({ where: { tenantId_month: { tenantId: actor.tenantId, month: m } } });
  }
  if (!row) throw new AppError("NOT_FOUND", `No invoice for ${m}: invoices exist for closed months with usage. See GET /api/v1/billing/invoices.`);
  return toInvoice(row);
}

const csvCell = (v: string | number) => {
  const s = typeof v === "number" ? String(Math.round(v * 1e6) / 1e6) : v;
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** item, quantity, unit, unit price, amount per line, then the total (amounts in the invoice's currency). */
export function invoiceToCsv(invoice: Invoice): string {
  const rows: (string | number)[][] = [["item", "quantity", "unit", "unit price", `amount (${invoice.currency})`]];
  for (const l of invoice.lines) rows.push([l.item, l.quantity, l.unit, l.price, l.amount]);
  rows.push(["Total", "", "", "", invoice.total]);
  return rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
