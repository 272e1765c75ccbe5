// API routes of a version's static files (issue #6); joined into API_ROUTES in ./api-routes.ts.
import { FilesResponse } from "@/lib/api-shapes/version-shapes";
import type { ApiRoute } from "./api-routes";

export const FILES_ROUTES: ApiRoute[] = [
  { method: "GET", path: "/apps/{app}/versions/{version}/files", summary: "A version's files: path, size, content type and sha256", scope: "read", status: 200, response: FilesResponse },
  {
    method: "GET",
    path: "/apps/{app}/versions/{version}/files/{path}",
    summary: "One file's bytes (ETag = its sha256); raster images inline, anything else (SVG included) as an attachment under a CSP sandbox",
    scope: "read",
    status: 200,
  },
];
