import { seg, toCliError, type ApiClient } from "../api-client";
import { APP_OPTIONS, type Command } from "../command";
import { CliError, EXIT } from "../exit-codes";

// `GET /api/v1/apps/:app/logs` lists an app's log lines newest first (docs/logs.md); `--follow`
// then reads the live tail, `GET /api/v1/apps/:app/logs/stream` (Server-Sent Events), resuming
// after the last line it printed when the connection drops. Anything that is not a log entry is
// printed as a JSON line.
type Entry = Record<string, unknown>;

const RECONNECT_MS = 1000;
const FILTERS = ["status", "level", "search", "since", "request", "ver"] as const;
const PARAM: Record<(typeof FILTERS)[number], string> = { status: "status", level: "level", search: "q", since: "from", request: "requestId", ver: "version" };

export function formatEntry(e: Entry): string {
  const time = e.time ?? e.timestamp ?? e.createdAt ?? e.at;
  const level = e.level ?? e.stream ?? e.kind;
  const message = e.message ?? e.line ?? e.text;
  if (typeof message !== "string") return JSON.stringify(e);
  const request = typeof e.requestId === "string" ? `[${e.requestId.slice(0, 8)}]` : undefined;
  return [time, level, request, message].filter((x) => typeof x === "string" && x).join("  ");
}

function entryTime(e: Entry): string | undefined {
  const t = e.time ?? e.timestamp ?? e.createdAt ?? e.at;
  return typeof t === "string" ? t : undefined;
}

async function notAvailable(client: ApiClient, app: string): Promise<never> {
  // Either the app does not exist (that request throws its NOT_FOUND) or the route does not.
  await client.request("GET", `/apps/${seg(app)}`);
  throw new CliError("Logs are not available on this server yet (it has no /api/v1/apps/:app/logs endpoint).", EXIT.ERROR, {
    code: "LOGS_UNAVAILABLE",
    status: 404,
  });
}

async function fetchLogs(client: ApiClient, app: string, filters: URLSearchParams): Promise<{ entries: Entry[]; newestFirst?: boolean }> {
  const query = filters.toString();
  const res = await client.send("GET", `/apps/${seg(app)}/logs${query ? `?${query}` : ""}`);
  if (res.status === 404 && !res.headers.get("content-type")?.includes("json")) await notAvailable(client, app);
  if (!res.ok) throw await toCliError(res);
  const body = (await res.json()) as Entry;
  const list = Array.isArray(body) ? body : Array.isArray(body.logs) ? body.logs : Array.isArray(body.entries) ? body.entries : [];
  return { entries: list as Entry[], newestFirst: body.order === "newest-first" ? true : body.order === "oldest-first" ? false : undefined };
}

/** Reads one SSE connection, calling onEntry per `log` event; resolves when the server ends it. */
async function readStream(res: Response, onEntry: (e: Entry, id: string | undefined) => void): Promise<void> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      let id: string | undefined;
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon === -1 ? line : line.slice(0, colon);
        const val = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") event = val;
        else if (field === "id") id = val;
        else if (field === "data") data.push(val);
      }
      if (event === "log" && data.length) onEntry(JSON.parse(data.join("\n")) as Entry, id);
    }
  }
}

export const logs: Command = {
  name: "logs",
  summary: "Show an app's recent logs (--follow keeps printing new ones)",
  usage: "logs [--follow] [--status 5xx] [--level error] [--search text] [--since 1h] [--request <id>] [--ver <version>] [--app <name>]",
  help: [
    "--status 5xx,404   only lines of requests with these statuses",
    "--level error      request, stderr, debug, info, warn or error (comma-separated)",
    "--since 1h         an ISO date-time or a duration before now (15m, 2h, 7d)",
    "--ver 0.0.2        only requests served by this version",
  ],
  options: {
    ...APP_OPTIONS,
    follow: { type: "boolean", short: "f" },
    status: { type: "string" },
    level: { type: "string" },
    search: { type: "string" },
    since: { type: "string" },
    request: { type: "string" },
    ver: { type: "string" },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const app = await ctx.app();
    const client = await ctx.client();
    const filters = new URLSearchParams();
    for (const f of FILTERS) {
      const v = ctx.string(f);
      if (v) filters.set(PARAM[f], v);
    }
    const { entries: first, newestFirst } = await fetchLogs(client, app, filters);
    // The server lists newest first; print oldest first, like tail.
    const a = entryTime(first[0] ?? {});
    const b = entryTime(first[first.length - 1] ?? {});
    const ordered = (newestFirst ?? (a && b && a > b)) ? [...first].reverse() : first;
    const print = (e: Entry) => ctx.io.stdout.write(ctx.json ? JSON.stringify(e) + "\n" : formatEntry(e) + "\n");

    if (!ctx.flag("follow")) {
      if (ctx.json) ctx.io.stdout.write(JSON.stringify({ logs: ordered }, null, 2) + "\n");
      else if (!ordered.length) ctx.note(`No logs for ${app} yet.\n`);
      else ordered.forEach(print);
      return;
    }

    ordered.forEach(print);
    let lastId = ordered.reduce<string | undefined>((max, e) => (typeof e.id === "string" && (!max || BigInt(e.id) > BigInt(max)) ? e.id : max), undefined);
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.once("SIGINT", stop);
    try {
      while (!abort.signal.aborted) {
        const query = new URLSearchParams(filters);
        if (lastId) query.set("after", lastId);
        try {
          const res = await client.send("GET", `/apps/${seg(app)}/logs/stream?${query}`, { headers: { accept: "text/event-stream" }, signal: abort.signal });
          if (!res.ok) throw await toCliError(res);
          await readStream(res, (e, id) => {
            lastId = id ?? lastId;
            print(e);
          });
        } catch (e) {
          if (abort.signal.aborted) break;
          if (e instanceof CliError && e.details.code !== "NETWORK") throw e;
          ctx.note(`(log stream interrupted: ${(e as Error).message}; reconnecting)\n`);
        }
        if (!abort.signal.aborted) await new Promise((r) => setTimeout(r, RECONNECT_MS));
      }
    } finally {
      process.off("SIGINT", stop);
    }
  },
};
