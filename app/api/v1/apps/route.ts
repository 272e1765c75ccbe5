import { NextResponse } from "next/server";
import { createApp } from "@/lib/apps/create-app";
import { findApps } from "@/lib/apps/find-apps";
import { readJson } from "@/lib/http/route";
import { withTenant } from "@/lib/http/with-tenant";

export const GET = withTenant("read", async ({ actor }) => NextResponse.json({ apps: await findApps({ actor }) }));

export const POST = withTenant("deploy", async ({ req, actor }) =>
  NextResponse.json({ app: await createApp({ actor, input: await readJson(req) }) }, { status: 201 }),
);
