import type { Metadata } from "next";
import { KvBrowser } from "@/components/kv/kv-browser";
import { requireSessionUser } from "@/lib/auth/session";

export async function generateMetadata({ params }: { params: Promise<{ app: string }> }): Promise<Metadata> {
  return { title: `${(await params).app} · Datastore` };
}

export default async function AppKvPage({ params }: { params: Promise<{ app: string }> }) {
  await requireSessionUser();
  return <KvBrowser app={(await params).app} />;
}
