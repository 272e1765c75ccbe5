// A stored invoice as a printable document (server-rendered; print CSS hides the console around it).
import type { Invoice } from "@/lib/client/types";

const money = (x: number, currency: string) =>
  x.toLocaleString("en-US", { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: x !== 0 && Math.abs(x) < 0.01 ? 10 : 2 });
const num = (x: number, digits = 3) => x.toLocaleString("en-US", { maximumFractionDigits: digits });
const bytes = (n: number) => `${num(n / 1024 ** 3, 3)} GiB`;

export function InvoiceDocument({ invoice, tenantName }: { invoice: Invoice; tenantName: string }) {
  const { plan, usage } = invoice;
  return (
    <article className="invoice max-w-4xl rounded-xl border border-slate-200 bg-white p-8 print:border-0 print:p-0" aria-label={`Invoice ${invoice.month}`}>
      <header className="flex items-start justify-between gap-6 border-b border-slate-200 pb-5">
        <div>
          <p className="text-xs uppercase tracking-wider text-slate-500">WasmCompute</p>
          <h1 className="mt-1 text-2xl font-semibold">Invoice {invoice.month}</h1>
          <p className="mt-1 text-sm text-slate-600">
            Tenant <span className="font-mono">{tenantName}</span> · usage {usage.from} to {usage.to} (UTC, end exclusive)
          </p>
        </div>
        <div className="text-right text-sm text-slate-600">
          <p>Issued {invoice.createdAt.slice(0, 10)}</p>
          <p>
            Plan “{plan.name}” · {invoice.currency}
          </p>
        </div>
      </header>

      <table className="mt-6 w-full text-sm" aria-label="Invoice lines">
        <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="py-2 pr-3">Item</th>
            <th className="py-2 pr-3 text-right">Quantity</th>
            <th className="py-2 pr-3 text-right">Included</th>
            <th className="py-2 pr-3">Unit price</th>
            <th className="py-2 text-right">Amount</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">
          {invoice.lines.map((l) => (
            <tr key={l.item}>
              <td className="py-2 pr-3">
                {l.item}
                <div className="font-mono text-[11px] text-slate-500">{l.formula}</div>
              </td>
              <td className="py-2 pr-3 text-right font-mono">
                {num(l.quantity)} {l.unit}
              </td>
              <td className="py-2 pr-3 text-right font-mono">{num(l.included)}</td>
              <td className="py-2 pr-3 text-slate-600">{l.price}</td>
              <td className="py-2 text-right font-mono">{money(l.amount, invoice.currency)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="border-t-2 border-slate-300 text-base font-semibold">
            <td className="py-3" colSpan={4}>
              Total
            </td>
            <td className="py-3 text-right font-mono" data-testid="invoice-total">
              {money(invoice.total, invoice.currency)}
            </td>
          </tr>
        </tfoot>
      </table>

      {plan.spendingCap ? (
        <p className="mt-2 text-sm text-slate-600">
          Spending cap in force at the month&apos;s end: {money(plan.spendingCap.cap, invoice.currency)} ({plan.spendingCap.mode === "hard" ? "hard stop" : "alert only"}).
        </p>
      ) : null}

      <h2 className="mt-8 text-sm font-semibold text-slate-700">Usage by app</h2>
      <table className="mt-2 w-full text-sm">
        <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="py-1.5">App</th>
            <th className="py-1.5 text-right">Requests</th>
            <th className="py-1.5 text-right">GB-s</th>
            <th className="py-1.5 text-right">Egress</th>
            <th className="py-1.5 text-right">KV operations</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 font-mono">
          {usage.apps.map((a) => (
            <tr key={a.app}>
              <td className="py-1.5 font-sans">{a.app}</td>
              <td className="py-1.5 text-right">{num(a.requests, 0)}</td>
              <td className="py-1.5 text-right">{num(a.gbSeconds)}</td>
              <td className="py-1.5 text-right">{bytes(a.egressBytes)}</td>
              <td className="py-1.5 text-right">{num(a.kvOps, 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <footer className="mt-8 space-y-1 border-t border-slate-200 pt-4 text-xs text-slate-500">
        <p>
          Priced with the plan in force when this invoice was made: free {num(plan.free.requests, 0)} requests, {num(plan.free.gbSeconds, 0)} GB-s, {num(plan.free.egressGB)} GB egress,{" "}
          {num(plan.free.kvOps, 0)} KV operations per month; then {money(plan.unit.perMillionRequests, invoice.currency)} per 1M requests, {money(plan.unit.perGbSecond, invoice.currency)} per GB-s,{" "}
          {money(plan.unit.perEgressGB, invoice.currency)} per GB egress, {money(plan.unit.perMillionKvOps, invoice.currency)} per 1M KV operations
          {plan.monthlyFee ? `, plus ${money(plan.monthlyFee, invoice.currency)} a month` : ""}.
        </p>
        {plan.notes.map((n) => (
          <p key={n}>{n}</p>
        ))}
        <p>This invoice is immutable: later price changes do not alter it.</p>
      </footer>
    </article>
  );
}
