import { noContent, withTenant } from "@/lib/http/with-tenant";
import { revokeToken } from "@/lib/tokens/tokens";

export const DELETE = withTenant<{ id: string }>("admin", async ({ actor, params }) => {
  await revokeToken({ actor, id: params.id });
  return noContent();
});
