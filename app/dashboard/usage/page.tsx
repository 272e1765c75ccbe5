import type { Metadata } from "next";
import { UsageView } from "@/components/usage/usage-view";
import { requireSessionUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Usage & billing" };

export default async function UsagePage() {
  await requireSessionUser();
  return <UsageView />;
}
