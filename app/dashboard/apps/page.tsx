import type { Metadata } from "next";
import { AppList } from "@/components/apps/app-list";
import { requireSessionUser } from "@/lib/auth/session";
import { TEMPLATES } from "@/lib/templates/templates";

export const metadata: Metadata = { title: "Apps" };

export default async function AppsPage() {
  await requireSessionUser();
  return <AppList templates={TEMPLATES.map(({ id, title, description, language }) => ({ id, title, description, language }))} />;
}
