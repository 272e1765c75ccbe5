"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Alert } from "@/components/ui";
import { api } from "@/lib/client/api";
import type { InvoiceSummary } from "@/lib/client/types";

const money = (x: number, currency: string) => x.toLocaleString("en-US", { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function InvoiceList() {
  const invoices = useQuery({ queryKey: ["invoices"], queryFn: () => api<{ invoices: InvoiceSummary[] }>("/billing/invoices") });
  return (
    <section aria-labelledby="invoices-heading" className="rounded-xl border border-slate-200 bg-white p-5">
      <h2 id="invoices-heading" className="text-sm font-semibold text-slate-700">
        Invoices
      </h2>
      <p className="mt-1 text-xs text-slate-500">One per closed UTC month with usage, made when first listed and never changed afterwards (it keeps the plan it was priced with).</p>
      {invoices.isPending ? <p className="mt-2 text-sm text-slate-500">Loading…</p> : null}
      {invoices.isError ? <Alert>{invoices.error.message}</Alert> : null}
      {invoices.data && invoices.data.invoices.length === 0 ? <p className="mt-2 text-sm text-slate-500">No invoices yet: the first comes after a month with usage ends.</p> : null}
      {invoices.data && invoices.data.invoices.length > 0 ? (
        <table className="mt-3 w-full text-sm" aria-label="Invoices">
          <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-2">Month</th>
              <th className="py-2 text-right">Total</th>
              <th className="py-2 text-right">Issued</th>
              <th className="py-2 text-right">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {invoices.data.invoices.map((i) => (
              <tr key={i.month}>
                <td className="py-1.5 font-mono">{i.month}</td>
                <td className="py-1.5 text-right font-mono">{money(i.total, i.currency)}</td>
                <td className="py-1.5 text-right text-slate-500">{i.createdAt.slice(0, 10)}</td>
                <td className="py-1.5 text-right">
                  <Link href={`/dashboard/usage/invoices/${i.month}`} className="text-indigo-600 hover:text-indigo-500">
                    View
                  </Link>
                  <a href={`/api/v1/billing/invoices/${i.month}.csv`} download className="ml-4 text-indigo-600 hover:text-indigo-500">
                    CSV
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
