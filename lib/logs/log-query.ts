// The log API's filters (query string → zod → SQL) and its answer shapes, shared by the list, the
// SSE tail, the CLI and the console.
import { z } from "zod";
import { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { escapeControlChars } from "@/lib/wasm/guest-text";
import { accessLine, ACCESS_LINE_SQL } from "./access-line";
import { LogLevel } from "./log-levels";
import type { LogScope } from "./log-scope";

/** The filters as a person knows them (the console's labels), for messages: never `status.0`. */
const FILTER_LABELS: Record<string, string> = {
  level: "Level",
  status: "Status",
  version: "Version",
  q: "Search",
  from: "From",
  to: "To",
  requestId: "Request",
  before: "before",
  after: "after",
  limit: "limit",
};

const list = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(item).max(20));

const StatusFilter = z.string().regex(/^(?:[1-5]xx|[1-5]\d\d)$/i, "use a code like 404 or a class like 5xx");

/** "15m", "2h", "7d" before now, or an ISO date-time. */
const TimeBound = z.string().transform((s, ctx) => {
  const rel = /^(\d+)\s*(s|m|h|d)$/.exec(s.trim());
  if (rel) return new Date(Date.now() - Number(rel[1]) * { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[rel[2] as "s" | "m" | "h" | "d"]);
  const date = new Date(s);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: "custom", message: 'Use an ISO date-time (2025-01-31T12:00:00Z) or a duration before now ("15m", "2h", "7d")' });
    return z.NEVER;
  }
  return date;
});

const Cursor = z.string().regex(/^\d{1,19}$/, "A cursor is the id of a log line").transform((s) => BigInt(s));

export const LogQuery = z.object({
  level: list(LogLevel).optional(),
  status: list(StatusFilter).optional(),
  version: z.string().min(1).max(100).optional(),
  // Lines store control characters as \xHH (lib/wasm/guest-text.ts): a NUL searched for finds them.
  q: z.string().min(1).max(200).transform(escapeControlChars).optional(),
  from: TimeBound.optional(),
  to: TimeBound.optional(),
  requestId: z.uuid("use a request id (a UUID, the x-request-id header)").optional(),
  /** Lines older than this id (the next page of a newest-first listing). */
  before: Cursor.optional(),
  /** Lines newer than this id, oldest first (following). */
  after: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type LogQuery = z.infer<typeof LogQuery>;

/** Query parameters where a NUL is searched for, not refused (lib/text/nul.ts): the text search. */
export const LOG_SEARCH_PARAMS = ["q"] as const;

export function parseLogQuery(params: URLSearchParams): LogQuery {
  const raw: Record<string, string> = {};
  for (const [k, v] of params) if (v !== "") raw[k] = v;
  // The CLI of 0.1 asked for `since=<cursor>`: read it as `after`.
  if (raw.since && !raw.after && /^\d+$/.test(raw.since)) raw.after = raw.since;
  else if (raw.since && !raw.from) raw.from = raw.since;
  delete raw.since;
  const parsed = LogQuery.safeParse(raw);
  if (!parsed.success) throw inWords(parsed.error, raw);
  if (parsed.data.before !== undefined && parsed.data.after !== undefined) {
    throw new AppError("BAD_REQUEST", "Use either before (older lines) or after (newer lines), not both.");
  }
  return parsed.data;
}

/** "Status: use a code like 404 or a class like 5xx ("abc" is neither)." rather than "status.0: …". */
function inWords(error: z.ZodError, raw: Record<string, string>): AppError {
  const issue = error.issues[0]!;
  const field = String(issue.path[0] ?? "");
  const label = FILTER_LABELS[field] ?? field;
  let message = (issue.message.charAt(0).toLowerCase() + issue.message.slice(1)).replace(/\.$/, "");
  if (issue.code === "invalid_value" && field === "level") message = `use one of ${LogLevel.options.join(", ")}`;
  const item = typeof issue.path[1] === "number" ? raw[field]?.split(",").map((x) => x.trim()).filter(Boolean)[issue.path[1]] : undefined;
  return new AppError("UNPROCESSABLE", `${label}: ${message}${item === undefined ? "" : ` ("${item}" is not one)`}.`, { field });
}

/** A log line and a request as the API shows them: lib/api-shapes/log-shapes.ts. */
export type { LogEntry, RequestView } from "../api-shapes/log-shapes";
import type { LogEntry } from "../api-shapes/log-shapes";

export interface LogRow {
  id: bigint;
  time: Date;
  level: string;
  /** Null for an access line: made from the record (accessLine). */
  message: string | null;
  requestId: string;
  scheduledAt: string | null;
  status: number | null;
  method: string | null;
  path: string | null;
  durationMs: number | null;
  version: string | null;
  app: string | null;
}

/**
 * The log as one relation `l`: the stored lines and every request's access line, which is its
 * RequestRecord at the id it drew among the lines. Filters on l's columns reach both halves, so a
 * page ordered by id merges two index scans.
 */
const LINES = Prisma.sql`(
  SELECT id, time, level, message, "requestId", "tenantId", "appId" FROM "LogLine"
  UNION ALL
  SELECT "lineId", time, 'request'::text, NULL::text, id, "tenantId", "appId" FROM "RequestRecord" WHERE "lineId" IS NOT NULL
) l`;

export const SELECT_LINES = Prisma.sql`
  SELECT l.id, l.time, l.level, l.message, l."requestId", r."scheduledAt", r.status, r.method, r.path, r."durationMs", v.version, a.name AS app
  FROM ${LINES}
  LEFT JOIN "RequestRecord" r ON r.id = l."requestId"
  LEFT JOIN "Version" v ON v.id = r."versionId"
  LEFT JOIN "App" a ON a.id = l."appId"`;

export function toEntry(row: LogRow): LogEntry {
  return {
    id: row.id.toString(),
    time: row.time.toISOString(),
    level: row.level as LogLevel,
    message:
      row.message ??
      accessLine({ method: row.method ?? "", path: row.path ?? "", status: row.status ?? 0, durationMs: row.durationMs ?? 0, scheduledAt: row.scheduledAt }),
    requestId: row.requestId,
    status: row.status,
    method: row.method,
    path: row.path,
    durationMs: row.durationMs,
    version: row.version,
    app: row.app,
  };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** WHERE conditions for the filters (not the cursors), scoped to one tenant (and its app, when one is asked for). */
export function filterConditions(scope: LogScope, query: LogQuery): Prisma.Sql[] {
  const where: Prisma.Sql[] = [Prisma.sql`l."tenantId" = ${scope.tenantId}::uuid`];
  if (scope.appId) where.push(Prisma.sql`l."appId" = ${scope.appId}::uuid`);
  if (query.level?.length) where.push(Prisma.sql`l.level IN (${Prisma.join(query.level)})`);
  if (query.status?.length) {
    const parts = query.status.map((s) =>
      /xx$/i.test(s) ? Prisma.sql`r.status BETWEEN ${Number(s[0]) * 100} AND ${Number(s[0]) * 100 + 99}` : Prisma.sql`r.status = ${Number(s)}`,
    );
    where.push(Prisma.sql`(${Prisma.join(parts, " OR ")})`);
  }
  if (scope.versionId) where.push(Prisma.sql`r."versionId" = ${scope.versionId}::uuid`);
  if (query.q) where.push(Prisma.sql`coalesce(l.message, ${ACCESS_LINE_SQL}) ILIKE ${`%${escapeLike(query.q)}%`}`);
  if (query.from) where.push(Prisma.sql`l.time >= ${query.from.toISOString()}::timestamp(3)`);
  if (query.to) where.push(Prisma.sql`l.time < ${query.to.toISOString()}::timestamp(3)`);
  if (query.requestId) where.push(Prisma.sql`l."requestId" = ${query.requestId}::uuid`);
  return where;
}
