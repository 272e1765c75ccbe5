import { NextResponse } from "next/server";
import { readJson } from "@/lib/http/route";
import { noContent, withTenant } from "@/lib/http/with-tenant";
import { changeMemberRole, removeMember } from "@/lib/teams/members";

export const PUT = withTenant<{ userId: string }>("owner", async ({ req, actor, params }) =>
  NextResponse.json({ member: await changeMemberRole({ actor, userId: params.userId, input: await readJson(req) }) }),
);

export const DELETE = withTenant<{ userId: string }>("owner", async ({ actor, params }) => {
  await removeMember({ actor, userId: params.userId });
  return noContent();
});
