import { seg, type ApiClient } from "../api-client";
import { AppResponse, DeploymentResponse, DeploymentsResponse, expectShape, type Deployment } from "../api-types";
import { APP_OPTIONS, type Command, type Context } from "../command";
import { CliError, EXIT, usageError } from "../exit-codes";
import { formatTime, routeLabel, table } from "../output";

/** Where a route answers: the app's gateway URL plus the route prefix. */
export function routeUrl(gatewayUrl: string | null | undefined, route: string): string | undefined {
  if (!gatewayUrl) return undefined;
  return `${gatewayUrl.replace(/\/+$/, "")}/${route ? `${route.replace(/^\/+|\/+$/g, "")}/` : ""}`;
}

/** A 409 on deploy/rollback is usually the unsafe-deploy guard: say how to proceed. */
function withUnsafeHint(e: unknown, unsafe: boolean): unknown {
  const about = e instanceof CliError && (e.details.field === "unsafe" || /unsafe/i.test(e.message));
  if (e instanceof CliError && about && e.exitCode === EXIT.CONFLICT && !unsafe && !e.message.includes("--unsafe")) {
    return new CliError(e.message, e.exitCode, { ...e.details, hint: "Re-run with --unsafe if you accept that." });
  }
  return e;
}

export async function reportDeployment(ctx: Context, client: ApiClient, app: string, deployment: Deployment, verb: "Deployed" | "Rolled back"): Promise<void> {
  // The URL is a nicety: a failure to fetch it must not turn a successful deploy into an error.
  const info = await client
    .request("GET", `/apps/${seg(app)}`)
    .then((r) => expectShape(AppResponse, r, `GET /apps/${app}`).app)
    .catch(() => undefined);
  const url = info?.routes?.find((r) => r.route === deployment.route)?.url ?? routeUrl(info?.gatewayUrl, deployment.route);
  const what = verb === "Deployed" ? `Deployed ${app} ${deployment.version}` : `Rolled ${app} back to ${deployment.version}`;
  ctx.print({ deployment, url: url ?? null }, () => `${what} on ${routeLabel(deployment.route)}${url ? `: ${url}` : ""}\n`);
}

export const deploy: Command = {
  name: "deploy",
  summary: "Make a published version live (on the default route or --route)",
  usage: "deploy <version> [--route v/x] [--unsafe] [--app <name>]",
  help: [
    "--route puts the version on an explicit route (e.g. v/0.0.1) beside the default one.",
    "--unsafe deploys even when its static files or datastore schema differ from what is live.",
  ],
  options: { ...APP_OPTIONS, route: { type: "string", short: "r" }, unsafe: { type: "boolean" } },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const app = await ctx.app();
    const client = await ctx.client();
    const body: { version: string; route?: string; unsafe?: boolean } = { version: ctx.positionals[0]! };
    const route = ctx.string("route");
    if (route !== undefined) body.route = route;
    if (ctx.flag("unsafe")) body.unsafe = true;
    let answer: unknown;
    try {
      answer = await client.request("POST", `/apps/${seg(app)}/deployments`, { json: body });
    } catch (e) {
      throw withUnsafeHint(e, ctx.flag("unsafe"));
    }
    const { deployment } = expectShape(DeploymentResponse, answer, `POST /apps/${app}/deployments`);
    await reportDeployment(ctx, client, app, deployment, "Deployed");
  },
};

export const rollback: Command = {
  name: "rollback",
  summary: "Put the version that was live before the current one back (default route or --route)",
  usage: "rollback [--route v/x] [--unsafe] [--app <name>]",
  options: { ...APP_OPTIONS, route: { type: "string", short: "r" }, unsafe: { type: "boolean" } },
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const app = await ctx.app();
    const client = await ctx.client();
    const body: { route?: string; unsafe?: boolean } = {};
    const route = ctx.string("route");
    if (route !== undefined) body.route = route;
    if (ctx.flag("unsafe")) body.unsafe = true;
    let answer: unknown;
    try {
      answer = await client.request("POST", `/apps/${seg(app)}/rollback`, { json: body });
    } catch (e) {
      throw withUnsafeHint(e, ctx.flag("unsafe"));
    }
    const { deployment } = expectShape(DeploymentResponse, answer, `POST /apps/${app}/rollback`);
    await reportDeployment(ctx, client, app, deployment, "Rolled back");
  },
};

export const undeploy: Command = {
  name: "undeploy",
  summary: "Take an explicit route down (the default route stays until the app is deleted)",
  usage: "undeploy <route> [--app <name>]",
  options: { ...APP_OPTIONS },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const app = await ctx.app();
    const route = ctx.positionals[0]!.replace(/^\/+|\/+$/g, "");
    if (!route) throw usageError("Give the explicit route to take down, e.g. v/0.0.1 (the default route cannot be taken down).");
    const client = await ctx.client();
    // The API takes the route as path segments: /deployments/v/0.0.1.
    await client.request("DELETE", `/apps/${seg(app)}/deployments/${route.split("/").map(seg).join("/")}`);
    ctx.print({ app, route, undeployed: true }, () => `Took ${app} route ${route} down.\n`);
  },
};

export const deployments: Command = {
  name: "deployments",
  summary: "An app's deployment history, newest first",
  usage: "deployments [--app <name>]",
  options: { ...APP_OPTIONS },
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const app = await ctx.app();
    const client = await ctx.client();
    const { deployments: list } = expectShape(DeploymentsResponse, await client.request("GET", `/apps/${seg(app)}/deployments`), `GET /apps/${app}/deployments`);
    ctx.print({ deployments: list }, () =>
      list.length
        ? table(
            ["created", "version", "route", "kind", "live"],
            list.map((d) => [formatTime(d.createdAt), d.version, routeLabel(d.route), typeof d.kind === "string" ? d.kind : "", d.active ? "yes" : ""]),
          )
        : `${app} has never been deployed.\n`,
    );
  },
};
