// A tenant's monthly spending cap: what it is, how far the month's bill has gone towards it, and
// how a bill is clamped to a hard cap ("nothing bills past a hard cap"). Pure: shared by the
// console, the API, invoices and the gateway's cache.
import { z } from "zod";
import { money, type Bill, type BillLine } from "./price-usage";
import { SPENDING_CAP_MODES, type SpendingCapState } from "../api-shapes/billing-shapes";

export { SPENDING_CAP_MODES };
/** What the API and the console show of the cap: lib/api-shapes/billing-shapes.ts. */
export type { SpendingCapState };
export type SpendingCapMode = (typeof SPENDING_CAP_MODES)[number];

/** The console banner shows from this share of the cap on. */
export const SPENDING_CAP_WARN_PERCENT = 80;

export const SetSpendingCapInput = z.object({
  /** In the plan's currency; null removes the cap. */
  cap: z.number().min(0, "cap: use 0 or more (null removes the cap)").max(1e9).nullable(),
  mode: z.enum(SPENDING_CAP_MODES).default("hard"),
});
export type SetSpendingCapInput = z.infer<typeof SetSpendingCapInput>;

export function parseCapMode(value: string): SpendingCapMode {
  return value === "alert" ? "alert" : "hard";
}

/** A cap of 0 means "free tier only": reached as soon as anything costs money. */
export function spendingCapState({ cap, mode, spent, currency, month }: { cap: number | null; mode: SpendingCapMode; spent: number; currency: string; month: string }): SpendingCapState {
  if (cap === null) return { cap, mode, currency, month, spent, percent: null, warning: false, reached: false, blocking: false };
  const reached = cap > 0 ? spent >= cap : spent > 0;
  const percent = cap > 0 ? (spent / cap) * 100 : reached ? 100 : 0;
  return { cap, mode, currency, month, spent, percent, warning: percent >= SPENDING_CAP_WARN_PERCENT, reached, blocking: reached && mode === "hard" };
}

/** The first instant of the UTC month after `month` ("YYYY-MM"). */
export function monthEnd(month: string): Date {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1));
}

export function monthStart(month: string): Date {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, 1));
}

/**
 * A bill under a hard cap never exceeds it: what requests served before the gateways saw the cap
 * reached (they re-read it at most every second) is written off as a negative line.
 */
export function clampBillToCap(bill: Bill, cap: { cap: number | null; mode: SpendingCapMode } | null): Bill {
  if (!cap || cap.cap === null || cap.mode !== "hard" || bill.total <= cap.cap) return bill;
  const amount = Math.round((cap.cap - bill.total) * 1e6) / 1e6;
  const line: BillLine = {
    item: "Spending cap (hard)",
    quantity: 1,
    unit: "cap",
    included: 0,
    billable: 1,
    price: `cap of ${money(cap.cap, bill.currency)}`,
    amount,
    formula: `min(${money(bill.total, bill.currency)}, ${money(cap.cap, bill.currency)}) − ${money(bill.total, bill.currency)} = ${money(amount, bill.currency)}`,
  };
  return { ...bill, lines: [...bill.lines, line], total: cap.cap, notes: [...bill.notes, "Nothing bills past a hard spending cap: the amount over it is written off."] };
}
