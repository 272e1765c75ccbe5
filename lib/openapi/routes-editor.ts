// API routes of the editor's saved requests and preview data (issue #5); joined into API_ROUTES in ./api-routes.ts.
import type { ApiRoute } from "./api-routes";

export const EDITOR_ROUTES: ApiRoute[] = [];
