// API routes of the signed-in account (issue #13): sessions and password; joined into API_ROUTES in ./api-routes.ts.
import { ChangePasswordInput } from "@/lib/auth/change-password";
import { RevokedSessionsResponse } from "@/lib/api-shapes/account-shapes";
import type { ApiRoute } from "./api-routes";

export const ACCOUNT_ROUTES: ApiRoute[] = [
  {
    method: "DELETE",
    path: "/account/sessions",
    summary:
      "Sign out everywhere: end every console session of the signed-in user, this one included (any role); with an admin API token, of every member of the tenant. API tokens are not affected. Answers { revokedSessions }",
    scope: "read",
    tokenScope: "admin",
    status: 200,
    response: RevokedSessionsResponse,
  },
  {
    method: "PUT",
    path: "/account/password",
    summary:
      "Change the signed-in user's password (console session only, not an API token): { currentPassword, newPassword }; every other session of the user ends. Answers { revokedSessions }",
    scope: "read",
    sessionOnly: true,
    body: ChangePasswordInput,
    status: 200,
    response: RevokedSessionsResponse,
  },
];
