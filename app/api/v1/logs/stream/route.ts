import { LOG_SEARCH_PARAMS } from "@/lib/logs/log-query";
import { logTailResponse } from "@/lib/logs/tail-response";
import { withTenant } from "@/lib/http/with-tenant";

export const dynamic = "force-dynamic";

/** The live tail of every app of the tenant. */
export const GET = withTenant("read", ({ req, actor }) => logTailResponse(req, actor), { nulAllowedIn: LOG_SEARCH_PARAMS });
