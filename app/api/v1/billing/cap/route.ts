import { NextResponse } from "next/server";
import { setSpendingCap } from "@/lib/billing/set-spending-cap";
import { readJson } from "@/lib/http/route";
import { withTenant } from "@/lib/http/with-tenant";

export const PUT = withTenant("admin", async ({ req, actor }) => NextResponse.json({ spendingCap: await setSpendingCap({ actor, input: await readJson(req) }) }));
