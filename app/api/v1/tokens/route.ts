import { NextResponse } from "next/server";
import { readJson } from "@/lib/http/route";
import { withTenant } from "@/lib/http/with-tenant";
import { createToken, findTokens } from "@/lib/tokens/tokens";

export const GET = withTenant("admin", async ({ actor }) => NextResponse.json({ tokens: await findTokens({ actor }) }));

export const POST = withTenant("admin", async ({ req, actor }) => NextResponse.json(await createToken({ actor, input: await readJson(req) }), { status: 201 }));
