// An app, the routes it serves and its deployments, as the REST API answers them (docs/api.md).
// Objects are loose: a client built against these shapes accepts fields a newer server adds.
import { z } from "zod";
import { Timestamp } from "./timestamp";

/** One deploy, rollback or undeploy of a version to a route. */
export const DeploymentView = z.looseObject({
  id: z.string(),
  version: z.string(),
  route: z.string(),
  /** "deploy", "rollback" or "undeploy". */
  kind: z.string(),
  createdAt: Timestamp,
  /** Whether this is what its route serves now. */
  active: z.boolean(),
});
export type DeploymentView = z.infer<typeof DeploymentView>;

/** What a route of an app serves now. */
export const LiveRouteView = z.looseObject({
  route: z.string(),
  version: z.string(),
  deployedAt: Timestamp,
  url: z.string(),
});
export type LiveRouteView = z.infer<typeof LiveRouteView>;

export const AppView = z.looseObject({
  name: z.string(),
  template: z.string().nullable(),
  createdAt: Timestamp,
  gatewayUrl: z.string(),
  /** The default route's, or null when nothing is deployed there. */
  live: LiveRouteView.nullable(),
  routes: z.array(LiveRouteView),
});
export type AppView = z.infer<typeof AppView>;

export const AppsResponse = z.object({ apps: z.array(AppView) });
export const AppResponse = z.object({ app: AppView });
export const DeploymentResponse = z.object({ deployment: DeploymentView });
export const DeploymentsResponse = z.object({ deployments: z.array(DeploymentView) });
