import type { Metadata } from "next";
import { AppMetricsView } from "@/components/metrics/app-metrics-view";
import { requireSessionUser } from "@/lib/auth/session";

export async function generateMetadata({ params }: { params: Promise<{ app: string }> }): Promise<Metadata> {
  return { title: `${(await params).app} · metrics` };
}

export default async function AppMetricsPage({ params }: { params: Promise<{ app: string }> }) {
  await requireSessionUser();
  return <AppMetricsView app={(await params).app} />;
}
