import type { Metadata } from "next";
import { requireSessionUser } from "@/lib/auth/session";
import { EnvSettings } from "./env-settings";

export async function generateMetadata({ params }: { params: Promise<{ app: string }> }): Promise<Metadata> {
  return { title: `${(await params).app} · Environment` };
}

export default async function AppSettingsPage({ params }: { params: Promise<{ app: string }> }) {
  await requireSessionUser();
  return <EnvSettings app={(await params).app} />;
}
