import { NextResponse } from "next/server";
import { findBillingSummary } from "@/lib/billing/find-billing-summary";
import { withTenant } from "@/lib/http/with-tenant";

export const GET = withTenant("read", async ({ req, actor }) =>
  NextResponse.json(await findBillingSummary({ actor, month: new URL(req.url).searchParams.get("month") ?? undefined })),
);
