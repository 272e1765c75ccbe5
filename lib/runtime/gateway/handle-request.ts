/**
 * A request's path through the gateway, one named step after another:
 *
 *   route → limits (and spending cap) → static file, or body → run → respond;   then record
 *
 * Each step is a function of the request's context and the gateway's ports that returns what the
 * next step needs, or a Stop: a failure (answered through the one error table, errors.ts), an
 * answer already sent, or nothing to record.
 */
import type http from "node:http";
import { requestUrlOf } from "../app-routing";
import { explain, sendError } from "./errors";
import { applyLimits } from "./limits";
import { readRequestBody } from "./body";
import { isStop, newRequestLog, type GatewayDeps, type RequestContext, type Stop } from "./context";
import { recordRequest } from "./record";
import { respond } from "./respond";
import { chooseHandler, routeToApp } from "./route";
import { runGuest } from "./run";
import { serveStatic } from "./static";

/** `scheduledAt`: the request is a schedule's run (lib/runtime/scheduled-requests.ts), logged as one. */
export async function handleRequest(req: http.IncomingMessage, res: http.ServerResponse, requestId: string, deps: GatewayDeps, scheduledAt?: string): Promise<void> {
  const ctx = requestContext(req, res, requestId, deps, performance.now());
  if (scheduledAt) ctx.log.scheduledAt = scheduledAt;
  const end = await serve(ctx, deps);
  finishRequest(ctx, deps, end);
}

/** The steps up to the answer. */
export async function serve(ctx: RequestContext, deps: GatewayDeps): Promise<Stop> {
  const app = await routeToApp(ctx, deps);
  if (isStop(app)) return app;
  const limits = await applyLimits(ctx, deps, app);
  if (isStop(limits)) return limits;
  const route = chooseHandler(ctx, app);
  if (isStop(route)) return route;
  if ("static" in route) return serveStatic(ctx, deps, app, route.static);
  const body = await readRequestBody(ctx, limits.maxRequestBytes);
  if (isStop(body)) return body;
  const result = await runGuest(ctx, deps, { app, limits, route: route.wagi, body });
  if (isStop(result)) return result;
  return respond(ctx, app, result);
}

/** A failure is answered through the error table; then every request but /healthz is recorded. */
export function finishRequest(ctx: RequestContext, deps: GatewayDeps, end: Stop): void {
  if (end.stop === "unrecorded") return;
  if (end.stop === "answered") return recordRequest(ctx, deps.onLog, end.status, undefined, end.bytesOut);
  const error = explain(end.failure);
  recordRequest(ctx, deps.onLog, sendError(ctx.req, ctx.res, error), error, end.bytesOut);
}

/** One URL for routing and for the guest (X_FULL_URL, SERVER_NAME, PATH_INFO): the Host is checked first. */
export function requestContext(req: http.IncomingMessage, res: http.ServerResponse, requestId: string, deps: Pick<GatewayDeps, "routing">, started: number): RequestContext {
  const scheme = deps.routing.scheme;
  const requestUrl = requestUrlOf(req, scheme);
  const method = req.method ?? "GET";
  if ("problem" in requestUrl) {
    const url = new URL(`${scheme}://gateway.invalid/`);
    return { req, res, requestId, started, href: url.href, url, urlProblem: requestUrl.problem, log: newRequestLog(requestId, method, url.pathname) };
  }
  // The query string is part of what was asked: the logs show it (a request line, the drawer).
  const { pathname, search } = requestUrl.url;
  return { req, res, requestId, started, href: requestUrl.href, url: requestUrl.url, log: newRequestLog(requestId, method, pathname + search) };
}
