import { NextResponse } from "next/server";
import { withSignedInUser } from "@/lib/http/with-tenant";
import { listMyTenants } from "@/lib/teams/switch-tenant";

export const GET = withSignedInUser(async ({ user }) => NextResponse.json({ tenants: listMyTenants({ user }) }));
