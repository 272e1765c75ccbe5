import { seg } from "../api-client";
import { AppsResponse, expectShape, VersionsResponse } from "../api-types";
import { APP_OPTIONS, type Command } from "../command";
import { usageError } from "../exit-codes";
import { formatBytes, formatTime, routeLabel, shortHash, table } from "../output";

export const apps: Command = {
  name: "apps",
  summary: "List your apps with what is live",
  usage: "apps",
  options: {},
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const client = await ctx.client();
    const { apps: list } = expectShape(AppsResponse, await client.request("GET", "/apps"), "GET /apps");
    ctx.print({ apps: list }, () => {
      if (!list.length) return "No apps yet. Create one with `wasmcompute new <app>`.\n";
      return table(
        ["name", "live", "routes", "url", "created"],
        list.map((a) => [
          a.name,
          a.live?.version,
          (a.routes ?? []).filter((r) => r.route !== "").map((r) => `${r.route}→${r.version}`).join(", "),
          a.gatewayUrl,
          formatTime(a.createdAt),
        ]),
      );
    });
  },
};

export const versions: Command = {
  name: "versions",
  summary: "List an app's published versions, newest first",
  usage: "versions [--app <name>]",
  options: { ...APP_OPTIONS },
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const app = await ctx.app();
    const client = await ctx.client();
    const list = expectShape(VersionsResponse, await client.request("GET", `/apps/${seg(app)}/versions`), `GET /apps/${app}/versions`).versions;
    ctx.print({ versions: list }, () => {
      if (!list.length) return `${app} has no versions yet. Publish one with \`wasmcompute publish 0.0.1\`.\n`;
      return table(
        ["version", "kind", "created", "size", "module sha256", "tainted", "live on"],
        list.map((x) => [
          x.version,
          x.kind,
          formatTime(x.createdAt),
          x.moduleSize !== undefined ? formatBytes(x.moduleSize) : undefined,
          shortHash(x.moduleSha256),
          x.tainted ? "yes" : "",
          x.live?.map(routeLabel).join(", "),
        ]),
      );
    });
  },
};

export const deleteApp: Command = {
  name: "delete",
  summary: "Delete an app, its versions and deployments (needs --yes)",
  usage: "delete <app> --yes",
  options: { yes: { type: "boolean", short: "y" } },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const app = ctx.positionals[0]!;
    if (!ctx.flag("yes")) {
      throw usageError(`Deleting ${app} removes every version and takes its routes down; it cannot be undone. Re-run with --yes to confirm.`);
    }
    const client = await ctx.client();
    await client.request("DELETE", `/apps/${seg(app)}`);
    ctx.print({ deleted: app }, () => `Deleted ${app}.\n`);
  },
};

