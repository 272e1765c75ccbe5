import type { Metadata } from "next";
import { AppList } from "@/components/apps/app-list";
import { requireSessionUser } from "@/lib/auth/session";
import { LISTED_TEMPLATES } from "@/lib/templates/templates";

export const metadata: Metadata = { title: "Apps" };

export default async function AppsPage() {
  await requireSessionUser();
  return <AppList templates={LISTED_TEMPLATES.map(({ id, title, description, language }) => ({ id, title, description, language }))} />;
}
