import { NextResponse } from "next/server";
import { clientAddress, handle, readJson } from "@/lib/http/route";
import { signUpFromAddress } from "@/lib/tenants/sign-up";

export const POST = handle(async (req) => {
  const { tenantName, email } = await signUpFromAddress(await readJson(req), { ip: clientAddress(req) });
  return NextResponse.json({ tenant: tenantName, email }, { status: 201 });
});
