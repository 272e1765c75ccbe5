import type { Metadata } from "next";
import { TeamManager } from "@/components/team/team-manager";
import { requireSessionUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Team" };

export default async function TeamPage() {
  await requireSessionUser();
  return <TeamManager />;
}
