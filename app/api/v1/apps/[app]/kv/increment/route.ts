import { NextResponse } from "next/server";
import { incrementKvEntry } from "@/lib/kv/increment-kv-entry";
import { readJson } from "@/lib/http/route";
import { withTenant } from "@/lib/http/with-tenant";

export const POST = withTenant<{ app: string }>("deploy", async ({ req, actor, params }) => {
  const q = new URL(req.url).searchParams;
  return NextResponse.json(await incrementKvEntry({ actor, appName: params.app, store: q.get("store"), key: q.get("key"), readInput: () => readJson(req) }));
});
