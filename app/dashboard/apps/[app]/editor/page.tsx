import type { Metadata } from "next";
import { EditorPage } from "@/components/editor/editor-page";
import { requireSessionUser } from "@/lib/auth/session";

export async function generateMetadata({ params }: { params: Promise<{ app: string }> }): Promise<Metadata> {
  return { title: `${(await params).app} · editor` };
}

export default async function AppEditorPage({ params }: { params: Promise<{ app: string }> }) {
  await requireSessionUser();
  return <EditorPage appName={(await params).app} />;
}
