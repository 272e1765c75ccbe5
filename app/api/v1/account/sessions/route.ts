import { NextResponse } from "next/server";
import { signOutEverywhere } from "@/lib/auth/revoke-sessions";
import { withTenant } from "@/lib/http/with-tenant";

// Sign out everywhere: the signed-in user's sessions (this one included), or with an admin token
// every session of the tenant's members (any role signs out its own; a token needs admin).
export const DELETE = withTenant("read", async ({ actor }) => NextResponse.json(await signOutEverywhere({ actor })));
