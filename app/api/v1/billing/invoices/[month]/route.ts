import { NextResponse } from "next/server";
import { findInvoice, invoiceToCsv } from "@/lib/billing/find-invoices";
import { withTenant } from "@/lib/http/with-tenant";

// GET /billing/invoices/2025-01 (JSON), /billing/invoices/2025-01.csv or ?format=csv (CSV download).
export const GET = withTenant<{ month: string }>("read", async ({ req, actor, params }) => {
  const csv = params.month.endsWith(".csv") || new URL(req.url).searchParams.get("format") === "csv";
  const invoice = await findInvoice({ actor, month: params.month.replace(/\.csv$/, "") });
  if (!csv) return NextResponse.json({ invoice });
  return new NextResponse(invoiceToCsv(invoice), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="invoice-${invoice.month}.csv"`,
    },
  });
});
