import { NextResponse } from "next/server";
import { withTenant } from "@/lib/http/with-tenant";
import { readPublishForm } from "@/lib/http/read-publish-form";
import { findVersions } from "@/lib/versions/find-versions";
import { publishVersion } from "@/lib/versions/publish-version";

export const GET = withTenant<{ app: string }>("read", async ({ actor, params }) =>
  NextResponse.json({ versions: await findVersions({ actor, appName: params.app }) }),
);

export const POST = withTenant<{ app: string }>("deploy", async ({ req, actor, params }) => {
  const input = await readPublishForm(req);
  return NextResponse.json({ version: await publishVersion({ actor, appName: params.app, input }) }, { status: 201 });
});
