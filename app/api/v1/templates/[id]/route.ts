import { NextResponse } from "next/server";
import { withTenant } from "@/lib/http/with-tenant";
import { findTemplate, templateFiles } from "@/lib/templates/template-files";

/** The template's files for a new local app folder; `?app=` names the app in its manifest. */
export const GET = withTenant<{ id: string }>("read", async ({ req, params }) => {
  const { id, title, description, language } = findTemplate(params.id);
  const appName = new URL(req.url).searchParams.get("app") ?? "my-app";
  const files = templateFiles(id, appName).map((f) => ({ path: f.path, contentBase64: Buffer.from(f.data).toString("base64") }));
  return NextResponse.json({ template: { id, title, description, language }, files });
});
