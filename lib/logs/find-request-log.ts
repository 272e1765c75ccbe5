// One request's access record with every line it produced (the console's request view).
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { SELECT_LINES, toEntry, type LogRow } from "./log-query";
import type { RequestLogResponse } from "@/lib/api-shapes/log-shapes";
import { resolveLogScope } from "./log-scope";

export async function findRequestLog({ actor, appName, requestId }: { actor: Pick<Actor, "tenantId">; appName: string; requestId: string }): Promise<RequestLogResponse> {
  const scope = await resolveLogScope({ actor, appName });
  const notFound = new AppError("NOT_FOUND", `Request ${requestId} of "${appName}" not found (its logs may be past retention).`);
  if (!/^[0-9a-f-]{36}$/i.test(requestId)) throw notFound;
  const record = await db().requestRecord.findFirst({ where: { id: requestId, tenantId: scope.tenantId, appId: scope.appId } });
  if (!record) throw notFound;
  const [version, rows] = await Promise.all([
    record.versionId ? db().version.findUnique({ where: { id: record.versionId }, select: { version: true } }) : null,
    db().$queryRaw<LogRow[]>`${SELECT_LINES} WHERE l."requestId" = ${requestId}::uuid AND l."tenantId" = ${scope.tenantId}::uuid ORDER BY l.id ASC LIMIT 1000`,
  ]);
  return {
    request: {
      id: record.id,
      time: record.time.toISOString(),
      method: record.method,
      path: record.path,
      route: record.route,
      status: record.status,
      durationMs: record.durationMs,
      memoryBytes: record.memoryBytes,
      bytesIn: record.bytesIn,
      bytesOut: record.bytesOut,
      errorCode: record.errorCode,
      error: record.error,
      version: version?.version ?? null,
    },
    lines: rows.map(toEntry),
  };
}
