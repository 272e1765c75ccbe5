import { NextResponse } from "next/server";
import { clientAddress, handle, readJson } from "@/lib/http/route";
import { createTokenWithPassword } from "@/lib/tokens/create-token-with-password";

// Public: the credentials are the authentication (and go through the sign-in limits and lockout).
export const POST = handle(async (req) =>
  NextResponse.json(await createTokenWithPassword({ input: await readJson(req), ip: clientAddress(req) }), { status: 201, headers: { "cache-control": "no-store" } }),
);
