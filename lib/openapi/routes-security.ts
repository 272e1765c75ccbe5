// API routes of audit log and account security (issue #8); joined into API_ROUTES in ./api-routes.ts.
import type { ApiRoute } from "./api-routes";

export const SECURITY_ROUTES: ApiRoute[] = [];
