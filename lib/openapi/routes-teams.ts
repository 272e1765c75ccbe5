// API routes of teams: members, invitations, the signed-in user's tenants (issue #20; docs/teams.md);
// joined into API_ROUTES in ./api-routes.ts.
import { AcceptInvitationInput, CreateInvitationInput } from "@/lib/teams/invitations";
import { ChangeRoleInput, LeaveTenantInput } from "@/lib/teams/members";
import { SwitchTenantInput } from "@/lib/teams/switch-tenant";
import {
  CreatedInvitationResponse,
  CurrentTenantResponse,
  InvitationsResponse,
  MemberResponse,
  MembersResponse,
  MyTenantsResponse,
} from "@/lib/api-shapes/team-shapes";
import type { ApiRoute } from "./api-routes";

export const TEAM_ROUTES: ApiRoute[] = [
  { method: "GET", path: "/members", summary: "The tenant's members with their roles", scope: "read", status: 200, response: MembersResponse },
  {
    method: "PUT",
    path: "/members/{userId}",
    summary: "Change a member's role ({ role: owner|admin|developer|viewer }); 409 when it would leave the tenant without an owner. Applies to the member's next request",
    scope: "owner",
    body: ChangeRoleInput,
    status: 200,
    response: MemberResponse,
  },
  { method: "DELETE", path: "/members/{userId}", summary: "Remove a member: their sessions and the tokens they made stop working in this tenant at once; 409 for the last owner", scope: "owner", status: 204 },
  {
    method: "POST",
    path: "/members/leave",
    summary: "Leave the current tenant ({ tenant }: its name, to confirm); 409 for the last owner",
    scope: "read",
    sessionOnly: true,
    body: LeaveTenantInput,
    status: 204,
  },
  { method: "GET", path: "/invitations", summary: "The tenant's invitations, pending first (never their links)", scope: "admin", status: 200, response: InvitationsResponse },
  {
    method: "POST",
    path: "/invitations",
    summary: "Invite an email with a role up to your own ({ email, role, expiresInDays 1–30, default 7 }); answers the one-time link, shown only here",
    scope: "admin",
    body: CreateInvitationInput,
    status: 201,
    response: CreatedInvitationResponse,
  },
  { method: "DELETE", path: "/invitations/{id}", summary: "Revoke a pending invitation", scope: "admin", status: 204 },
  {
    method: "POST",
    path: "/invitations/accept",
    summary: "Accept an invitation ({ token } from the link) as the signed-in user (whose email it names): join its tenant and switch the session to it",
    scope: "read",
    sessionOnly: true,
    body: AcceptInvitationInput,
    status: 200,
    response: CurrentTenantResponse,
  },
  { method: "GET", path: "/me/tenants", summary: "The tenants the signed-in user belongs to, with their role and which one the session acts in", scope: "read", sessionOnly: true, status: 200, response: MyTenantsResponse },
  {
    method: "PUT",
    path: "/session/tenant",
    summary: "Switch the tenant this console session acts in ({ tenant }); tokens are bound to their tenant",
    scope: "read",
    sessionOnly: true,
    body: SwitchTenantInput,
    status: 200,
    response: CurrentTenantResponse,
  },
];
