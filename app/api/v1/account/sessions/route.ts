import { NextResponse } from "next/server";
import { signOutEverywhere } from "@/lib/auth/revoke-sessions";
import { withTenant } from "@/lib/http/with-tenant";

// Sign out everywhere: the signed-in user's sessions (this one included), or with an admin token
// every session of the tenant's users.
export const DELETE = withTenant("admin", async ({ actor }) => NextResponse.json(await signOutEverywhere({ actor })));
