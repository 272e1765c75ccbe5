import { NextResponse } from "next/server";
import { findInvoices } from "@/lib/billing/find-invoices";
import { withTenant } from "@/lib/http/with-tenant";

export const GET = withTenant("read", async ({ actor }) => NextResponse.json({ invoices: await findInvoices({ actor }) }));
