import { NextResponse } from "next/server";
import { deleteApp } from "@/lib/apps/delete-app";
import { getApp } from "@/lib/apps/find-apps";
import { noContent, withTenant } from "@/lib/http/with-tenant";

export const GET = withTenant<{ app: string }>("read", async ({ actor, params }) => NextResponse.json({ app: await getApp({ actor, name: params.app }) }));

export const DELETE = withTenant<{ app: string }>("admin", async ({ actor, params }) => {
  await deleteApp({ actor, name: params.app });
  return noContent();
});
