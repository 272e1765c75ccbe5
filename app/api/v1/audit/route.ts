import { NextResponse } from "next/server";
import { findAuditEvents, parseAuditQuery } from "@/lib/audit/find-audit-events";
import { withTenant } from "@/lib/http/with-tenant";

export const GET = withTenant("admin", async ({ req, actor }) =>
  NextResponse.json(await findAuditEvents({ actor, query: parseAuditQuery(new URL(req.url).searchParams) })),
);
