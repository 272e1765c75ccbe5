import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { seg } from "../api-client";
import { expectShape, KvDeletedResponse, KvEntryResponse, KvIncrementResponse, KvPageResponse, KvUsageResponse } from "../api-types";
import { APP_OPTIONS, type Command, type Context } from "../command";
import { usageError } from "../exit-codes";
import { formatBytes, formatTime, table } from "../output";


const SUBCOMMANDS = "get <key> | set <key> [value] | del <key> | del --prefix <p> --yes | ls [prefix] | incr <key> | usage";

export const kv: Command = {
  name: "kv",
  summary: "Read and write an app's key-value store: get, set, del, ls, incr, usage",
  usage: `kv ${SUBCOMMANDS} [--app <name>] [--store <name>]`,
  help: [
    "set: the value is the argument, or --file <path>, or stdin; --base64 sends it as base64; --ttl <seconds> expires it.",
    "get --raw writes the value's bytes to stdout (binary values print as base64 otherwise).",
    "ls pages through all keys with the prefix (--limit caps how many are shown).",
    "del --prefix <p> --yes deletes every key starting with <p>; --prefix \"\" --all --yes deletes all keys.",
  ],
  options: {
    ...APP_OPTIONS,
    store: { type: "string" },
    ttl: { type: "string" },
    file: { type: "string" },
    base64: { type: "boolean" },
    raw: { type: "boolean" },
    prefix: { type: "string" },
    yes: { type: "boolean", short: "y" },
    all: { type: "boolean" },
    limit: { type: "string" },
    by: { type: "string" },
  },
  positionals: { min: 1, max: 3 },
  async run(ctx) {
    const [sub, key, value] = ctx.positionals;
    const app = await ctx.app();
    const client = await ctx.client();
    const query = (extra: Record<string, string | undefined>) => {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries({ ...extra, store: ctx.string("store") })) if (v !== undefined) q.set(k, v);
      return `?${q}`;
    };
    const base = `/apps/${seg(app)}/kv`;
    const needKey = () => {
      if (!key) throw usageError(`Usage: wasmcompute kv ${sub} <key>`);
      return key;
    };

    switch (sub) {
      case "get": {
        const k = needKey();
        if (ctx.flag("raw")) {
          const res = await client.send("GET", `${base}/entry${query({ key: k, raw: "1" })}`);
          if (!res.ok) await client.request("GET", `${base}/entry${query({ key: k })}`);
          ctx.io.stdout.write(Buffer.from(await res.arrayBuffer()) as unknown as string);
          return;
        }
        const { entry } = expectShape(KvEntryResponse, await client.request("GET", `${base}/entry${query({ key: k })}`), "GET kv entry");
        ctx.print({ entry }, () => `${entry.value}\n`);
        if (!ctx.json && entry.encoding === "base64") ctx.note(`(binary value, ${entry.size} bytes, shown as base64)\n`);
        return;
      }
      case "set": {
        const k = needKey();
        const body = await readValue(ctx, value);
        const ttl = ctx.string("ttl");
        if (ttl !== undefined && !/^\d+$/.test(ttl)) throw usageError("--ttl takes a number of seconds");
        const { entry } = expectShape(
          KvEntryResponse,
          await client.request("PUT", `${base}/entry${query({ key: k })}`, { json: { ...body, ...(ttl ? { ttlSeconds: Number(ttl) } : {}) } }),
          "PUT kv entry",
        );
        ctx.print({ entry }, () => `Set "${entry.key}" (${formatBytes(entry.size)}${entry.expiresAt ? `, expires ${formatTime(entry.expiresAt)}` : ""}).\n`);
        return;
      }
      case "del":
      case "delete": {
        const prefix = ctx.string("prefix");
        if (prefix !== undefined) {
          if (key) throw usageError("Pass either a key or --prefix, not both");
          if (!ctx.flag("yes")) throw usageError(`This deletes every key starting with "${prefix}". Add --yes to confirm.`);
          const result = expectShape(
            KvDeletedResponse,
            await client.request("POST", `${base}/delete-prefix${query({})}`, { json: { prefix, all: ctx.flag("all") } }),
            "POST kv delete-prefix",
          );
          ctx.print(result, () => `Deleted ${result.deleted} key${result.deleted === 1 ? "" : "s"}.\n`);
          return;
        }
        const k = needKey();
        await client.request("DELETE", `${base}/entry${query({ key: k })}`);
        ctx.print({ deleted: k }, () => `Deleted "${k}".\n`);
        return;
      }
      case "ls":
      case "list": {
        const limit = ctx.string("limit") === undefined ? Infinity : Number(ctx.string("limit"));
        if (!(limit > 0)) throw usageError("--limit takes a positive number");
        const keys: z.infer<typeof KvPageResponse>["keys"] = [];
        let cursor: string | undefined;
        let more = false;
        do {
          const page = expectShape(
            KvPageResponse,
            await client.request("GET", `${base}${query({ prefix: key ?? "", cursor, limit: String(Math.min(1000, limit - keys.length)) })}`),
            "GET kv",
          );
          keys.push(...page.keys);
          cursor = page.nextCursor ?? undefined;
          more = cursor !== undefined;
        } while (cursor && keys.length < limit);
        ctx.print({ keys, more }, () =>
          keys.length
            ? table(["key", "size", "expires", "updated"], keys.map((k) => [k.key, formatBytes(k.size), k.expiresAt ? formatTime(k.expiresAt) : "", formatTime(k.updatedAt)])) +
              (more ? `… more keys: raise --limit to see them.\n` : "")
            : "No keys.\n",
        );
        return;
      }
      case "incr": {
        const k = needKey();
        const by = ctx.string("by") ?? "1";
        if (!/^-?\d+$/.test(by)) throw usageError("--by takes an integer");
        const result = expectShape(
          KvIncrementResponse,
          await client.request("POST", `${base}/increment${query({ key: k })}`, { json: { by: Number(by) } }),
          "POST kv increment",
        );
        ctx.print(result, () => `${result.value}\n`);
        return;
      }
      case "usage": {
        const { usage } = expectShape(KvUsageResponse, await client.request("GET", `${base}/usage`), "GET kv usage");
        ctx.print({ usage }, () =>
          table(
            ["", "used", "quota"],
            [
              ["keys", usage.keys, usage.quotas.maxKeys],
              ["bytes", formatBytes(usage.bytes), formatBytes(usage.quotas.maxTotalBytes)],
              ["largest value", "", formatBytes(usage.quotas.maxValueBytes)],
            ],
          ) + usage.warnings.map((w) => `warning: ${w}\n`).join(""),
        );
        return;
      }
      default:
        throw usageError(`Unknown kv subcommand "${sub}": use ${SUBCOMMANDS}`);
    }
  },
};

async function readValue(ctx: Context, value: string | undefined): Promise<{ value: string; encoding: "utf8" | "base64" }> {
  const file = ctx.string("file");
  if (file !== undefined) {
    if (value !== undefined) throw usageError("Pass the value either as an argument or with --file, not both");
    const bytes = await readFile(path.resolve(ctx.io.cwd, file));
    return { value: bytes.toString("base64"), encoding: "base64" };
  }
  let text = value;
  if (text === undefined) {
    if (!ctx.io.readStdin) throw usageError("Usage: wasmcompute kv set <key> <value> (or --file <path>, or the value on stdin)");
    text = await ctx.io.readStdin();
  }
  return ctx.flag("base64") ? { value: text.trim(), encoding: "base64" } : { value: text, encoding: "utf8" };
}
