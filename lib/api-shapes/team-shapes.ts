// Members, invitations and the signed-in user's tenants, as the REST API answers them (docs/teams.md).
import { z } from "zod";
import { Timestamp } from "./timestamp";

export const MemberView = z.looseObject({
  userId: z.string(),
  email: z.string(),
  role: z.string(),
  joinedAt: Timestamp,
  /** The member is the one asking. */
  you: z.boolean(),
});
export type MemberView = z.infer<typeof MemberView>;
export const MembersResponse = z.object({ members: z.array(MemberView) });
export const MemberResponse = z.object({ member: MemberView });

export const InvitationView = z.looseObject({
  id: z.string(),
  email: z.string(),
  role: z.string(),
  /** pending until accepted, revoked or past expiresAt. */
  status: z.enum(["pending", "accepted", "revoked", "expired"]),
  createdBy: z.string(),
  createdAt: Timestamp,
  expiresAt: Timestamp,
  acceptedAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
});
export type InvitationView = z.infer<typeof InvitationView>;
export const InvitationsResponse = z.object({ invitations: z.array(InvitationView) });
/** POST /invitations: the one-time link (its token is in this answer only). */
export const CreatedInvitationResponse = z.object({ invitation: InvitationView, token: z.string(), link: z.string() });
export type CreatedInvitationResponse = z.infer<typeof CreatedInvitationResponse>;

export const MyTenantView = z.looseObject({ name: z.string(), role: z.string(), current: z.boolean() });
export type MyTenantView = z.infer<typeof MyTenantView>;
export const MyTenantsResponse = z.object({ tenants: z.array(MyTenantView) });
/** PUT /session/tenant and POST /invitations/accept: the tenant the session now acts in. */
export const CurrentTenantResponse = z.looseObject({ tenant: z.string(), role: z.string() });
export type CurrentTenantResponse = z.infer<typeof CurrentTenantResponse>;
