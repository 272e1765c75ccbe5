import { NextResponse } from "next/server";
import { findSavedRequests } from "@/lib/saved-requests/find-saved-requests";
import { withTenant } from "@/lib/http/with-tenant";

export const GET = withTenant<{ app: string }>("read", async ({ actor, params }) => NextResponse.json({ requests: await findSavedRequests({ actor, appName: params.app }) }));
