import { noContent, withTenant } from "@/lib/http/with-tenant";
import { revokeInvitation } from "@/lib/teams/invitations";

export const DELETE = withTenant<{ id: string }>("admin", async ({ actor, params }) => {
  await revokeInvitation({ actor, id: params.id });
  return noContent();
});
