import { NextResponse } from "next/server";
import { withTenant } from "@/lib/http/with-tenant";
import { TEMPLATES } from "@/lib/templates/templates";

export const GET = withTenant("read", async () =>
  NextResponse.json({ templates: TEMPLATES.map(({ id, title, description, language }) => ({ id, title, description, language })) }),
);
