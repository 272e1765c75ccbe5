import { NextResponse } from "next/server";
import { listKvEntries } from "@/lib/kv/list-kv-entries";
import { withTenant } from "@/lib/http/with-tenant";

export const GET = withTenant<{ app: string }>("read", async ({ req, actor, params }) =>
  NextResponse.json(await listKvEntries({ actor, appName: params.app, query: Object.fromEntries(new URL(req.url).searchParams) })),
);
