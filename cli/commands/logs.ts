import { seg, toCliError, type ApiClient } from "../api-client";
import { APP_OPTIONS, type Command } from "../command";
import { CliError, EXIT } from "../exit-codes";

// The logs API is not in docs/api.md yet; this reads the likely shape ({ logs: [...] }, entries
// with a time, a level or stream, and a message) and prints anything else as JSON lines.
type Entry = Record<string, unknown>;

const POLL_MS = 2000;

export function formatEntry(e: Entry): string {
  const time = e.time ?? e.timestamp ?? e.createdAt ?? e.at;
  const level = e.level ?? e.stream ?? e.kind;
  const message = e.message ?? e.line ?? e.text;
  if (typeof message !== "string") return JSON.stringify(e);
  return [time, level, message].filter((x) => typeof x === "string" && x).join("  ");
}

function entryKey(e: Entry): string {
  return typeof e.id === "string" || typeof e.id === "number" ? String(e.id) : JSON.stringify(e);
}

function entryTime(e: Entry): string | undefined {
  const t = e.time ?? e.timestamp ?? e.createdAt ?? e.at;
  return typeof t === "string" ? t : undefined;
}

async function fetchLogs(client: ApiClient, app: string, since?: string): Promise<{ entries: Entry[]; cursor?: string }> {
  const query = since ? `?since=${encodeURIComponent(since)}` : "";
  const res = await client.send("GET", `/apps/${seg(app)}/logs${query}`);
  if (res.status === 404) {
    // Either the app does not exist (that request throws its NOT_FOUND) or the route does not.
    await client.request("GET", `/apps/${seg(app)}`);
    throw new CliError("Logs are not available on this server yet (it has no /api/v1/apps/:app/logs endpoint).", EXIT.ERROR, {
      code: "LOGS_UNAVAILABLE",
      status: 404,
    });
  }
  if (!res.ok) throw await toCliError(res);
  const body = (await res.json()) as Entry;
  const list = Array.isArray(body) ? body : Array.isArray(body.logs) ? body.logs : Array.isArray(body.entries) ? body.entries : [];
  const cursor = typeof body.nextCursor === "string" ? body.nextCursor : typeof body.cursor === "string" ? body.cursor : undefined;
  return { entries: list as Entry[], cursor };
}

export const logs: Command = {
  name: "logs",
  summary: "Show an app's recent logs (--follow keeps printing new ones)",
  usage: "logs [--follow] [--app <name>]",
  options: { ...APP_OPTIONS, follow: { type: "boolean", short: "f" } },
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const app = await ctx.app();
    const client = await ctx.client();
    const first = await fetchLogs(client, app);
    // Servers list newest first or oldest first; print oldest first, like tail.
    const ordered = (entries: Entry[]) => {
      const a = entryTime(entries[0] ?? {});
      const b = entryTime(entries[entries.length - 1] ?? {});
      return a && b && a > b ? [...entries].reverse() : entries;
    };
    const print = (e: Entry) => ctx.io.stdout.write(ctx.json ? JSON.stringify(e) + "\n" : formatEntry(e) + "\n");

    if (!ctx.flag("follow")) {
      if (ctx.json) ctx.io.stdout.write(JSON.stringify({ logs: ordered(first.entries) }, null, 2) + "\n");
      else if (!first.entries.length) ctx.note(`No logs for ${app} yet.\n`);
      else ordered(first.entries).forEach(print);
      return;
    }

    const seen = new Set<string>();
    let cursor = first.cursor;
    let since = entryTime(ordered(first.entries).at(-1) ?? {});
    for (const e of ordered(first.entries)) seen.add(entryKey(e)), print(e);
    let stopped = false;
    const stop = () => (stopped = true);
    process.once("SIGINT", stop);
    try {
      while (!stopped) {
        await new Promise((r) => setTimeout(r, POLL_MS));
        const next = await fetchLogs(client, app, cursor ?? since);
        for (const e of ordered(next.entries)) {
          const key = entryKey(e);
          if (seen.has(key)) continue;
          seen.add(key);
          print(e);
          since = entryTime(e) ?? since;
        }
        cursor = next.cursor ?? cursor;
        if (seen.size > 10_000) seen.clear(); // bounded memory on a long follow
      }
    } finally {
      process.off("SIGINT", stop);
    }
  },
};
