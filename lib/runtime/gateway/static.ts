/** The static step: a path under a `static:` prefix is answered from the version's files, no guest runs. */
import { serveStaticFile, type StaticMount } from "../static-files";
import type { StaticSite } from "../../deployment-record/static-site";
import type { AppRequest, GatewayDeps, RequestContext, Stop } from "./context";

export async function serveStatic(ctx: RequestContext, deps: GatewayDeps, app: AppRequest, found: { site: StaticSite; mount: StaticMount; rest: string }): Promise<Stop> {
  const { site, ...mount } = found;
  const outcome = await serveStaticFile({ req: ctx.req, res: ctx.res, site, found: mount, target: app.target, search: ctx.url.search, cache: deps.staticFiles });
  // A HEAD answer carries no body, whatever its Content-Length says.
  const head = ctx.req.method === "HEAD";
  if ("failure" in outcome) return { stop: "failed", failure: outcome.failure, ...(head ? { bytesOut: 0 } : {}) };
  return { stop: "answered", status: outcome.status, bytesOut: head ? 0 : outcome.bytesOut };
}
