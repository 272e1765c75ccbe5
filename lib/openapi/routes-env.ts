// API routes of environment variables and secrets (issue #6); joined into API_ROUTES in ./api-routes.ts.
import type { ApiRoute } from "./api-routes";

export const ENV_ROUTES: ApiRoute[] = [];
