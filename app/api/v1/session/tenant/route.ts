import { NextResponse } from "next/server";
import { readJson } from "@/lib/http/route";
import { withSignedInUser } from "@/lib/http/with-tenant";
import { switchTenant } from "@/lib/teams/switch-tenant";

export const PUT = withSignedInUser(async ({ req, user }) => NextResponse.json(await switchTenant({ user, input: await readJson(req) })));
