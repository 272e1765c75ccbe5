import { LOG_SEARCH_PARAMS } from "@/lib/logs/log-query";
import { logTailResponse } from "@/lib/logs/tail-response";
import { withTenant } from "@/lib/http/with-tenant";

export const dynamic = "force-dynamic";

/** The live tail of one app. */
export const GET = withTenant<{ app: string }>("read", ({ req, actor, params }) => logTailResponse(req, actor, params.app), {
  nulAllowedIn: LOG_SEARCH_PARAMS,
});
