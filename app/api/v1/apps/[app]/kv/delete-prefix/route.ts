import { NextResponse } from "next/server";
import { deleteKvPrefix } from "@/lib/kv/delete-kv-prefix";
import { readJson } from "@/lib/http/route";
import { withTenant } from "@/lib/http/with-tenant";

export const POST = withTenant<{ app: string }>("deploy", async ({ req, actor, params }) =>
  NextResponse.json(await deleteKvPrefix({ actor, appName: params.app, store: new URL(req.url).searchParams.get("store"), readInput: () => readJson(req) })),
);
