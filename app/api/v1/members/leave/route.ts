import { readJson } from "@/lib/http/route";
import { noContent, withTenant } from "@/lib/http/with-tenant";
import { leaveTenant } from "@/lib/teams/members";

export const POST = withTenant("read", async ({ req, actor }) => {
  await leaveTenant({ actor, input: await readJson(req) });
  return noContent();
});
