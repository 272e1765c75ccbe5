import { NextResponse } from "next/server";
import { findSource } from "@/lib/sources/find-source";
import { saveSource } from "@/lib/sources/save-source";
import { readJson } from "@/lib/http/route";
import { withTenant } from "@/lib/http/with-tenant";

const MAX_DRAFT_JSON_BYTES = 10 * 1024 * 1024;

export const GET = withTenant<{ app: string }>("read", async ({ actor, params }) => NextResponse.json({ source: await findSource({ actor, appName: params.app }) }));

export const PUT = withTenant<{ app: string }>("deploy", async ({ req, actor, params }) =>
  NextResponse.json({ source: await saveSource({ actor, appName: params.app, readInput: () => readJson(req, MAX_DRAFT_JSON_BYTES) }) }),
);
