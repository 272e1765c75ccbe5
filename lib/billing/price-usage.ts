// Prices a month of usage: by the operator's plan, and by AWS Lambda's and Cloudflare Workers'
// public list prices, each line with the formula that produced it so anyone can check it.
import type { Bill, BillLine, PricePlan, UsageTotals } from "@/lib/api-shapes/usage-shapes";

/** What the bill prices (outbound calls are metered and shown, not priced). */
type PricedUsage = Pick<UsageTotals, "requests" | "gbSeconds" | "cpuMs" | "egressBytes" | "kvOps">;

export type { Bill, BillLine } from "@/lib/api-shapes/usage-shapes";

const GB = 1024 ** 3;
const n = (x: number, digits = 0) => x.toLocaleString("en-US", { maximumFractionDigits: digits });
export const money = (x: number, currency = "USD") =>
  x.toLocaleString("en-US", { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: x !== 0 && Math.abs(x) < 0.01 ? 10 : 2 });

function line(item: string, unit: string, quantity: number, included: number, pricePer: number, per: number, perLabel: string, digits = 0, currency = "USD"): BillLine {
  const billable = Math.max(0, quantity - included);
  const amount = (billable / per) * pricePer;
  const price = `${money(pricePer, currency)} per ${perLabel}`;
  const inc = included ? `max(0, ${n(quantity, digits)} − ${n(included, digits)})` : n(quantity, digits);
  return { item, unit, quantity, included, billable, price, amount, formula: `${inc} × ${money(pricePer, currency)} / ${per === 1 ? unit : perLabel} = ${money(amount, currency)}` };
}

function fixed(item: string, amount: number, currency = "USD"): BillLine {
  return { item, unit: "month", quantity: 1, included: 0, billable: 1, price: `${money(amount, currency)} per month`, amount, formula: `${money(amount, currency)}` };
}

function total(lines: BillLine[]) {
  return Math.round(lines.reduce((s, l) => s + l.amount, 0) * 1e6) / 1e6;
}

export function priceWithPlan(plan: PricePlan, u: PricedUsage): Bill {
  const lines = [
    ...(plan.monthlyFee ? [fixed("Monthly fee", plan.monthlyFee, plan.currency)] : []),
    line("Requests", "requests", u.requests, plan.free.requests, plan.unit.perMillionRequests, 1e6, "1M requests", 0, plan.currency),
    line("Compute", "GB-s", u.gbSeconds, plan.free.gbSeconds, plan.unit.perGbSecond, 1, "GB-second", 3, plan.currency),
    line("Egress", "GB", u.egressBytes / GB, plan.free.egressGB, plan.unit.perEgressGB, 1, "GB", 3, plan.currency),
    line("KV operations", "operations", u.kvOps, plan.free.kvOps, plan.unit.perMillionKvOps, 1e6, "1M operations", 0, plan.currency),
  ];
  return {
    provider: "WasmCompute",
    plan: plan.name,
    currency: plan.currency,
    lines,
    total: total(lines),
    notes: ["GB-seconds = the app's memory limit (GB) × request duration (s, rounded up to 1 ms), summed over requests."],
  };
}

/** AWS Lambda, us-east-1, x86, on-demand list prices (aws.amazon.com/lambda/pricing), with the monthly free tier. */
export function priceAsAwsLambda(u: PricedUsage): Bill {
  const lines = [
    line("Requests", "requests", u.requests, 1_000_000, 0.2, 1e6, "1M requests"),
    line("Duration", "GB-s", u.gbSeconds, 400_000, 0.0000166667, 1, "GB-second", 3),
    line("Data transfer out", "GB", u.egressBytes / GB, 100, 0.09, 1, "GB", 3),
  ];
  return {
    provider: "AWS Lambda",
    plan: "us-east-1 x86, free tier applied",
    currency: "USD",
    lines,
    total: total(lines),
    notes: [
      "Duration is billed as configured memory × duration rounded up to 1 ms: the same GB-seconds as ours.",
      "Data transfer out to the internet: $0.09/GB after the 100 GB/month AWS free allowance (first 10 TB tier).",
      "No API Gateway or function URL charges included.",
    ],
  };
}

/** Cloudflare Workers Paid plan, Standard usage model (developers.cloudflare.com/workers/platform/pricing/). */
export function priceAsCloudflareWorkers(u: PricedUsage): Bill {
  const lines = [
    fixed("Workers Paid subscription", 5),
    line("Requests", "requests", u.requests, 10_000_000, 0.3, 1e6, "1M requests"),
    line("CPU time", "CPU ms", u.cpuMs, 30_000_000, 0.02, 1e6, "1M CPU ms"),
  ];
  return {
    provider: "Cloudflare Workers",
    plan: "Workers Paid, Standard",
    currency: "USD",
    lines,
    total: total(lines),
    notes: [
      "Workers bill CPU time, not wall time. Ours is the guest's run time in its worker thread (instantiate + run), an upper bound of its CPU time.",
      "No egress charges on Workers.",
    ],
  };
}
