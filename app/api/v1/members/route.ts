import { NextResponse } from "next/server";
import { withTenant } from "@/lib/http/with-tenant";
import { findMembers } from "@/lib/teams/members";

export const GET = withTenant("read", async ({ actor }) => NextResponse.json({ members: await findMembers({ actor }) }));
