// The console's tables of records: a header row from a list of columns, then the rows, divided by
// a thin line. No hooks, so server pages (the overview) and client components share it.
import type { ReactNode, TableHTMLAttributes } from "react";

const HEADS = {
  // A grey band in small capitals: a table that is a card of its own or fills one.
  band: "bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500",
  // Small grey words on the card's white: a short table under a card's own heading.
  plain: "text-xs text-slate-600",
} as const;

/** A header cell: its words, or its words with classes of its own instead of the table's `headCell`. */
export type Column = string | { header: string; className: string };

export function DataTable({
  columns,
  head = "band",
  headCell = "px-4 py-3",
  className = "",
  children,
  ...table
}: TableHTMLAttributes<HTMLTableElement> & {
  columns: Column[];
  head?: keyof typeof HEADS;
  /** Padding and weight of the header cells (the rows' cells choose their own). */
  headCell?: string;
  children: ReactNode;
}) {
  return (
    <table className={`w-full text-sm ${className}`} {...table}>
      <thead className={HEADS[head]}>
        <tr>
          {columns.map((column) =>
            typeof column === "string" ? (
              <th key={column} className={headCell}>{column}</th>
            ) : (
              <th key={column.header} className={column.className}>{column.header}</th>
            ),
          )}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">{children}</tbody>
    </table>
  );
}

/** A row across the whole table that says something instead of listing records ("Loading…"). */
export function MessageRow({ span, children }: { span: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={span} className="px-4 py-3 text-slate-500">{children}</td>
    </tr>
  );
}
