// API routes of spending cap, invoices and gateway metrics (issue #7); joined into API_ROUTES in ./api-routes.ts.
import type { ApiRoute } from "./api-routes";

export const BILLING_ROUTES: ApiRoute[] = [];
