// API routes of environment variables and secrets (issue #6); joined into API_ROUTES in ./api-routes.ts.
import { SetEnvVarInput } from "@/lib/env/env-schemas";
import { EnvVarResponse, EnvVarsResponse } from "@/lib/api-shapes/env-shapes";
import type { ApiRoute } from "./api-routes";

export const ENV_ROUTES: ApiRoute[] = [
  {
    method: "GET",
    path: "/apps/{app}/env",
    summary: "An environment's variables (query: environment=production|preview): plain values in full, secrets as { name, secret: true, updatedAt } only; `plain` maps the plain ones (what the editor preview gets)",
    scope: "read",
    status: 200,
    response: EnvVarsResponse,
  },
  {
    method: "PUT",
    path: "/apps/{app}/env/{name}",
    summary: "Set a variable (query: environment); `secret: true` seals it and it is never shown again. Production changes reach the gateway's next requests without a new version",
    scope: "admin",
    body: SetEnvVarInput,
    status: 200,
    response: EnvVarResponse,
  },
  { method: "DELETE", path: "/apps/{app}/env/{name}", summary: "Delete a variable (query: environment)", scope: "admin", status: 204 },
];
