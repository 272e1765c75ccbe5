import { NextResponse } from "next/server";
import { readJson } from "@/lib/http/route";
import { withTenant } from "@/lib/http/with-tenant";
import { createInvitation, findInvitations } from "@/lib/teams/invitations";
import { consoleUrlOf } from "@/lib/teams/console-url";

export const GET = withTenant("admin", async ({ actor }) => NextResponse.json({ invitations: await findInvitations({ actor }) }));

export const POST = withTenant("admin", async ({ req, actor }) => {
  const { invitation, token, path } = await createInvitation({ actor, input: await readJson(req) });
  return NextResponse.json({ invitation, token, link: consoleUrlOf(req, path) }, { status: 201 });
});
