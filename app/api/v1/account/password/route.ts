import { NextResponse } from "next/server";
import { changePassword } from "@/lib/auth/change-password";
import { withTenant } from "@/lib/http/with-tenant";
import { readJson } from "@/lib/http/route";

// Change the signed-in user's password (a session only: tokens belong to the tenant, not a user);
// every other session of the user ends.
export const PUT = withTenant("read", async ({ req, actor }) => NextResponse.json(await changePassword({ actor, input: await readJson(req) })));
