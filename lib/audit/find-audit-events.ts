// The tenant's audit log, newest first, a page at a time (cursor: the last id seen).
import { z } from "zod";
import { db } from "@/lib/db/client";
import { AUDIT_ACTIONS } from "./record-audit-event";

export const AuditQuery = z.object({
  before: z
    .string()
    .regex(/^\d{1,19}$/, "before must be the `nextCursor` of a previous page")
    .optional(),
  limit: z.coerce.number().int("limit must be a whole number").min(1, "limit must be 1 to 200").max(200, "limit must be 1 to 200").default(50),
  action: z.enum(AUDIT_ACTIONS, { message: `action must be one of: ${AUDIT_ACTIONS.join(", ")}` }).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export interface AuditEventView {
  id: string;
  time: string;
  actor: string;
  action: string;
  target: string | null;
  ip: string | null;
  detail: unknown;
}

export function parseAuditQuery(params: URLSearchParams): AuditQuery {
  return AuditQuery.parse(Object.fromEntries([...params].filter(([, v]) => v !== "")));
}

export async function findAuditEvents({ actor, query }: { actor: { tenantId: string }; query: AuditQuery }): Promise<{ events: AuditEventView[]; nextCursor: string | null }> {
  const rows = await db().auditEvent.findMany({
    where: { tenantId: actor.tenantId, ...(query.before ? { id: { lt: BigInt(query.before) } } : {}), ...(query.action ? { action: query.action } : {}) },
    orderBy: { id: "desc" },
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return {
    events: page.map((r) => ({ id: r.id.toString(), time: r.time.toISOString(), actor: r.actor, action: r.action, target: r.target, ip: r.ip, detail: r.detail ?? null })),
    nextCursor: rows.length > query.limit ? page.at(-1)!.id.toString() : null,
  };
}
