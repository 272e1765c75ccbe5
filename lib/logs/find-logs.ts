// A page of an app's log lines (or of every app of the tenant, without `appName`): newest first (then `before` pages back), or oldest first after a
// cursor (`after`, for following). `nextCursor` continues in the same direction.
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { filterConditions, SELECT_LINES, toEntry, type LogQuery, type LogRow } from "./log-query";
import type { LogsResponse } from "@/lib/api-shapes/log-shapes";
import { resolveLogScope } from "./log-scope";

export async function findLogs({ actor, appName, query }: { actor: Pick<Actor, "tenantId">; appName?: string; query: LogQuery }): Promise<LogsResponse> {
  const scope = await resolveLogScope({ actor, appName, version: query.version });
  const where = filterConditions(scope, query);
  const ascending = query.after !== undefined;
  if (query.before !== undefined) where.push(Prisma.sql`l.id < ${query.before}`);
  if (query.after !== undefined) where.push(Prisma.sql`l.id > ${query.after}`);
  const rows = await db().$queryRaw<LogRow[]>`${SELECT_LINES} WHERE ${Prisma.join(where, " AND ")}
    ORDER BY l.id ${ascending ? Prisma.sql`ASC` : Prisma.sql`DESC`} LIMIT ${query.limit}`;
  const logs = rows.map(toEntry);
  const last = logs.at(-1);
  // Following: always hand back where to continue from, even when nothing was new.
  const nextCursor = ascending ? (last?.id ?? query.after!.toString()) : logs.length === query.limit && last ? last.id : null;
  return { logs, nextCursor, order: ascending ? "oldest-first" : "newest-first" };
}
