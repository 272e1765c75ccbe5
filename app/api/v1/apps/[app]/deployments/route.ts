import { NextResponse } from "next/server";
import { deployVersion } from "@/lib/deployments/deploy-version";
import { findDeployments } from "@/lib/deployments/find-deployments";
import { readJson } from "@/lib/http/route";
import { withTenant } from "@/lib/http/with-tenant";

export const GET = withTenant<{ app: string }>("read", async ({ actor, params }) =>
  NextResponse.json({ deployments: await findDeployments({ actor, appName: params.app }) }),
);

export const POST = withTenant<{ app: string }>("deploy", async ({ req, actor, params }) =>
  NextResponse.json({ deployment: await deployVersion({ actor, appName: params.app, input: await readJson(req) }) }, { status: 201 }),
);
