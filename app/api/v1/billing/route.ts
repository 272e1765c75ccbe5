import { NextResponse } from "next/server";
import { findSpendingCap } from "@/lib/billing/find-spending-cap";
import { withTenant } from "@/lib/http/with-tenant";

export const GET = withTenant("read", async ({ actor }) => NextResponse.json({ spendingCap: await findSpendingCap({ actor }) }));
