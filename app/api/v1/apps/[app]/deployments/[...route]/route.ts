import { undeployRoute } from "@/lib/deployments/find-deployments";
import { noContent, withTenant } from "@/lib/http/with-tenant";

export const DELETE = withTenant<{ app: string; route: string[] }>("deploy", async ({ actor, params }) => {
  await undeployRoute({ actor, appName: params.app, route: params.route.join("/") });
  return noContent();
});
