/**
 * The route step: which app (its tenant, its live deployment, a version route's mount) and then
 * which part of it answers: a static mount, or the WAGI route that runs the guest.
 */
import { matchRoute, routesOrDefault, type RoutePattern } from "../../wasm";
import { findTarget } from "../app-routing";
import { DeploymentError, type ResolvedDeployment } from "../../deployment-record/record";
import { findStaticMount, type StaticMount } from "../static-files";
import type { StaticSite } from "../../deployment-record/static-site";
import { failed, type AppRequest, type GatewayDeps, type RequestContext, type Stop } from "./context";

/** The app the request is for, with its deployment; or where the request ends (bad URL, no app, /healthz). */
export async function routeToApp(ctx: RequestContext, deps: GatewayDeps): Promise<AppRequest | Stop> {
  if (ctx.urlProblem !== undefined) {
    ctx.log.path = (ctx.req.url ?? "").slice(0, 2000);
    return failed({ kind: "bad-request", problem: ctx.urlProblem });
  }
  const target = findTarget(ctx.url.hostname, ctx.url.pathname, deps.routing);
  if (!target) {
    if (ctx.url.pathname !== "/healthz") return failed({ kind: "no-app", routing: deps.routing });
    const body = JSON.stringify({ ok: true, pid: process.pid, ...deps.health() });
    ctx.res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
    ctx.res.end(body);
    return { stop: "unrecorded" };
  }
  ctx.log.tenant = target.tenant;
  ctx.log.app = target.app;
  let deployment: ResolvedDeployment | null;
  try {
    deployment = await deps.withinDatabaseWait(deps.resolve(target.tenant, target.app, target.path));
  } catch (error) {
    if (error instanceof DeploymentError) return failed({ kind: "invalid-deployment", error });
    return failed({ kind: "lookup-failed", what: "look up this app", internal: "look up the app", error, waitMs: deps.databaseWaitMs });
  }
  if (!deployment) return failed({ kind: "app-not-found", tenant: target.tenant, app: target.app });
  const appBase = target.base;
  if (deployment.mount) {
    target.base += deployment.mount;
    target.path = target.path.slice(deployment.mount.length) || "/";
  }
  ctx.log.versionId = deployment.versionId;
  ctx.log.tenantId = deployment.tenantId;
  ctx.log.appId = deployment.appId;
  return { target, appBase, deployment };
}

/** The WAGI route that answers: its entrypoint and its parsed pattern (SCRIPT_NAME, PATH_INFO). */
export interface WagiMatch {
  entrypoint: string;
  pattern: RoutePattern;
}

export type RouteMatch = { static: { site: StaticSite; mount: StaticMount; rest: string } } | { wagi: WagiMatch };

/** The app's part that answers the path: a static mount first, else the WAGI route (the last that matches wins). */
export function chooseHandler(ctx: RequestContext, app: AppRequest): RouteMatch | Stop {
  const { deployment, target } = app;
  const site = deployment.static;
  const found = site ? findStaticMount(site, deployment.routes, target.path) : null;
  if (site && found) {
    ctx.log.route = `static ${found.mount.path}`;
    // No guest runs: no GB-seconds are billed.
    ctx.log.memoryLimitMb = undefined;
    return { static: { site, ...found } };
  }
  const routes = routesOrDefault(deployment.routes.map((r) => ({ path: r.prefix, entrypoint: r.entrypoint })));
  // WAGI precedence (the last matching route wins), the same function the IDE preview uses.
  const match = matchRoute(routes, target.path);
  if (!match) return failed({ kind: "route-not-found", path: target.path, routes: routes.map((r) => r.path) });
  ctx.log.route = match.pattern.text;
  return { wagi: { entrypoint: match.route.entrypoint, pattern: match.pattern } };
}
