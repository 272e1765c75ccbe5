import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { InvoiceDocument } from "@/components/usage/invoice-document";
import { PrintButton } from "@/components/usage/print-button";
import { requireSessionUser } from "@/lib/auth/session";
import { findInvoice } from "@/lib/billing/find-invoices";
import { AppError } from "@/lib/errors";
import { Breadcrumbs } from "@/components/layout/breadcrumbs";

export async function generateMetadata({ params }: { params: Promise<{ month: string }> }): Promise<Metadata> {
  return { title: `Invoice ${(await params).month}` };
}

// Printing shows the invoice alone: the console's sidebar and banners are hidden.
const PRINT_CSS = `@media print {
  aside, [aria-label="Spending cap"] { display: none !important; }
  main { padding: 0 !important; overflow: visible !important; }
  body { background: white !important; }
  @page { margin: 16mm; }
}`;

export default async function InvoicePage({ params }: { params: Promise<{ month: string }> }) {
  const user = await requireSessionUser();
  const { month } = await params;
  const invoice = await findInvoice({ actor: { tenantId: user.tenantId }, month }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    if (error instanceof Error && error.name === "ZodError") notFound();
    throw error;
  });
  return (
    <div className="space-y-4">
      <style>{PRINT_CSS}</style>
      <div className="flex max-w-4xl items-center justify-between print:hidden">
        <Breadcrumbs trail={[{ label: "Usage & billing", href: "/dashboard/usage" }]} />
        <div className="flex items-center gap-4">
          <a href={`/api/v1/billing/invoices/${invoice.month}.csv`} download className="text-sm text-indigo-600 hover:text-indigo-500">
            Download CSV
          </a>
          <PrintButton />
        </div>
      </div>
      <InvoiceDocument invoice={invoice} tenantName={user.tenantName} />
    </div>
  );
}
