import { NextResponse } from "next/server";
import { withTenant } from "@/lib/http/with-tenant";
import { findVersionFiles } from "@/lib/files/find-version-files";

export const GET = withTenant<{ app: string; version: string }>("read", async ({ actor, params }) =>
  NextResponse.json({ files: await findVersionFiles({ actor, appName: params.app, version: params.version }) }),
);
