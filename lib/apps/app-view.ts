// The API's and the console's view of an app: its shape is lib/api-shapes/app-shapes.ts.
import type { AppView } from "@/lib/api-shapes/app-shapes";
import { tenantGatewayUrl } from "@/lib/platform-urls";

export type { AppView, DeploymentView, LiveRouteView } from "@/lib/api-shapes/app-shapes";

export function routeUrl(tenantName: string, appName: string, route: string): string {
  return `${tenantGatewayUrl(tenantName, appName, process.env)}/${route ? route + "/" : ""}`;
}

export function toAppView(
  tenantName: string,
  app: { name: string; template: string | null; createdAt: Date; liveRoutes: { route: string; updatedAt: Date; version: { version: string } }[] },
): AppView {
  const routes = app.liveRoutes
    .map((r) => ({ route: r.route, version: r.version.version, deployedAt: r.updatedAt.toISOString(), url: routeUrl(tenantName, app.name, r.route) }))
    .sort((a, b) => a.route.localeCompare(b.route));
  return {
    name: app.name,
    template: app.template,
    createdAt: app.createdAt.toISOString(),
    gatewayUrl: `${tenantGatewayUrl(tenantName, app.name, process.env)}/`,
    live: routes.find((r) => r.route === "") ?? null,
    routes,
  };
}

export const APP_VIEW_INCLUDE = { liveRoutes: { include: { version: { select: { version: true } } } } } as const;
