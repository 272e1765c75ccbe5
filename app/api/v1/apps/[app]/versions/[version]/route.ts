import { NextResponse } from "next/server";
import { withTenant } from "@/lib/http/with-tenant";
import { getVersion } from "@/lib/versions/find-versions";

export const GET = withTenant<{ app: string; version: string }>("read", async ({ actor, params }) =>
  NextResponse.json({ version: await getVersion({ actor, appName: params.app, version: params.version }) }),
);
