// API routes of a version's static files (issue #6); joined into API_ROUTES in ./api-routes.ts.
import type { ApiRoute } from "./api-routes";

export const FILES_ROUTES: ApiRoute[] = [];
