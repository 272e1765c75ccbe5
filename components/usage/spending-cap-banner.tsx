// Shown on every console page once the month's bill reaches 80% of the tenant's spending cap
// (server-rendered by the dashboard layout; a failure to read the figures shows nothing).
import Link from "next/link";
import { findSpendingCap } from "@/lib/billing/find-spending-cap";
import type { SpendingCapState } from "@/lib/billing/spending-cap";

const money = (x: number, currency: string) => x.toLocaleString("en-US", { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });

export async function SpendingCapBanner({ tenantId }: { tenantId: string }) {
  let state: SpendingCapState;
  try {
    state = await findSpendingCap({ actor: { tenantId }, onlyIfCapped: true });
  } catch (error) {
    console.error("[spending-cap] banner:", error);
    return null;
  }
  if (!state.warning || state.cap === null) return null;
  const spent = `${money(state.spent, state.currency)} of your ${money(state.cap, state.currency)} monthly spending cap (${Math.floor(state.percent ?? 0)}%)`;
  const text = state.blocking
    ? `Spending cap reached: ${spent}. Your apps answer 402 until the cap is raised or the month ends.`
    : state.reached
      ? `Spending cap passed: ${spent}. The cap is alert-only, so your apps keep serving.`
      : `You have used ${spent}.${state.mode === "hard" ? " At 100% your apps stop serving (402) until the month ends." : ""}`;
  return (
    <div
      role="alert"
      aria-label="Spending cap"
      className={`mb-6 flex flex-wrap items-center justify-between gap-3 rounded-lg border px-4 py-3 text-sm print:hidden ${
        state.blocking ? "border-red-300 bg-red-50 text-red-900" : "border-amber-300 bg-amber-50 text-amber-900"
      }`}
    >
      <p>{text}</p>
      <Link href="/dashboard/usage#spending-cap" className="shrink-0 font-medium underline underline-offset-2">
        Change the cap
      </Link>
    </div>
  );
}
