import { NextResponse } from "next/server";
import { withTenant } from "@/lib/http/with-tenant";
import { readPublishForm } from "@/lib/http/read-publish-form";
import { findVersions } from "@/lib/versions/find-versions";
import { AppError } from "@/lib/errors";
import { publishVersion, refuseExistingVersion } from "@/lib/versions/publish-version";

export const GET = withTenant<{ app: string }>("read", async ({ actor, params }) =>
  NextResponse.json({ versions: await findVersions({ actor, appName: params.app }) }),
);

export const POST = withTenant<{ app: string }>("deploy", async ({ req, actor, params }) => {
  // ?version=: a taken number is refused (409) before a byte of the upload is read.
  const named = new URL(req.url).searchParams.get("version");
  if (named) await refuseExistingVersion({ actor, appName: params.app, version: named });
  const input = await readPublishForm(req);
  if (named && input.version !== named) {
    throw new AppError("UNPROCESSABLE", `version: the form says ${input.version} but the URL says ${named}; send the same number in both.`, { field: "version" });
  }
  return NextResponse.json({ version: await publishVersion({ actor, appName: params.app, input }) }, { status: 201 });
});
