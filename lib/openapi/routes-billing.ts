// API routes of spending cap, invoices and gateway metrics (issue #7); joined into API_ROUTES in ./api-routes.ts.
import { SetSpendingCapInput } from "@/lib/billing/spending-cap";
import { InvoiceResponse, InvoicesResponse, SpendingCapResponse } from "@/lib/api-shapes/billing-shapes";
import { AppMetrics } from "@/lib/api-shapes/metrics-shapes";
import type { ApiRoute } from "./api-routes";

export const BILLING_ROUTES: ApiRoute[] = [
  { method: "GET", path: "/billing", summary: "The spending cap: cap, mode, month-to-date cost and percent of the cap", scope: "read", status: 200, response: SpendingCapResponse },
  { method: "PUT", path: "/billing/cap", summary: "Set the monthly spending cap ({ cap, mode: hard|alert }; cap null removes it)", scope: "admin", body: SetSpendingCapInput, status: 200, response: SpendingCapResponse },
  { method: "GET", path: "/billing/invoices", summary: "Invoices of closed months, newest first (missing ones are created first)", scope: "read", status: 200, response: InvoicesResponse },
  { method: "GET", path: "/billing/invoices/{month}", summary: "One month's invoice (YYYY-MM); YYYY-MM.csv or ?format=csv downloads it as CSV", scope: "read", status: 200, response: InvoiceResponse },
  { method: "GET", path: "/apps/{app}/metrics", summary: "Gateway metrics: request rate, errors, latency percentiles, status mix and routes (query: window 1h|24h|30d, version)", scope: "read", status: 200, response: AppMetrics },
];
