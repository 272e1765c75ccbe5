import { NextResponse } from "next/server";
import { readJson } from "@/lib/http/route";
import { withSignedInUser } from "@/lib/http/with-tenant";
import { acceptInvitation } from "@/lib/teams/invitations";

export const POST = withSignedInUser(async ({ req, user, ip }) =>
  NextResponse.json(await acceptInvitation({ user, sessionId: user.sessionId, ip, input: await readJson(req) })),
);
