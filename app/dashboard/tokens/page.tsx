import type { Metadata } from "next";
import { TokenManager } from "@/components/tokens/token-manager";
import { requireSessionUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  await requireSessionUser();
  return <TokenManager />;
}
