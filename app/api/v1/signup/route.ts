import { NextResponse } from "next/server";
import { clientAddress, handle, readJson } from "@/lib/http/route";
import { hitRateLimit } from "@/lib/rate-limit/hit-rate-limit";
import { signUp } from "@/lib/tenants/sign-up";

export const POST = handle(async (req) => {
  await hitRateLimit({
    key: `sign-up:addr:${clientAddress(req)}`,
    limit: 20,
    windowSeconds: 60 * 60,
    message: "Too many sign-ups from this address. Wait {retry} and try again.",
  });
  const { tenantName, email } = await signUp(await readJson(req), { ip: clientAddress(req) });
  return NextResponse.json({ tenant: tenantName, email }, { status: 201 });
});
