// API routes of audit log and account security (issue #8); joined into API_ROUTES in ./api-routes.ts.
import type { ApiRoute } from "./api-routes";

export const SECURITY_ROUTES: ApiRoute[] = [
  {
    method: "GET",
    path: "/audit",
    summary: "The tenant's audit log of security events, newest first (query: limit 1–200, action, before = the previous page's nextCursor)",
    scope: "admin",
    status: 200,
  },
];
