import type { Metadata } from "next";
import { AppDetail } from "@/components/apps/app-detail";
import { requireSessionUser } from "@/lib/auth/session";

export async function generateMetadata({ params }: { params: Promise<{ app: string }> }): Promise<Metadata> {
  return { title: (await params).app };
}

export default async function AppPage({ params }: { params: Promise<{ app: string }> }) {
  await requireSessionUser();
  return <AppDetail name={(await params).app} />;
}
