import { NextResponse } from "next/server";
import { findKvUsage } from "@/lib/kv/find-kv-usage";
import { withTenant } from "@/lib/http/with-tenant";

export const GET = withTenant<{ app: string }>("read", async ({ actor, params }) =>
  NextResponse.json({ usage: await findKvUsage({ actor, appName: params.app }) }),
);
