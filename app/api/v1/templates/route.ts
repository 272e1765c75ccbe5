import { NextResponse } from "next/server";
import type { z } from "zod";
import type { TemplatesResponse } from "@/lib/api-shapes/template-shapes";
import { withTenant } from "@/lib/http/with-tenant";
import { LISTED_TEMPLATES } from "@/lib/templates/templates";

export const GET = withTenant("read", async () => {
  const answer: z.infer<typeof TemplatesResponse> = { templates: LISTED_TEMPLATES.map(({ id, title, description, language }) => ({ id, title, description, language })) };
  return NextResponse.json(answer);
});
