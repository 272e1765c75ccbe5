// A whole tenant's gateway figures over a stretch of time (every app, every version): requests,
// 4xx/5xx and latency percentiles, by the same SQL aggregates as one app's metrics.
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { FIGURES, figures, type Figures, type FiguresRow } from "./find-app-metrics";

export async function findTenantFigures({ actor, from, to }: { actor: Pick<Actor, "tenantId">; from: Date; to: Date }): Promise<Figures> {
  // time is timestamp(3) holding the UTC wall clock (see find-app-metrics.ts).
  const rows = await db().$queryRawUnsafe<FiguresRow[]>(
    `SELECT ${FIGURES} FROM "RequestRecord" WHERE "tenantId" = $1::uuid AND time >= $2::timestamp(3) AND time < $3::timestamp(3)`,
    actor.tenantId,
    from.toISOString(),
    to.toISOString(),
  );
  return figures(rows[0]);
}
