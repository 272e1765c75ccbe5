import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { requireSessionUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "No longer a member" };

// Where pages send a member removed from the session's tenant (lib/auth/session.ts): the dashboard
// layout shows why and the tenant switcher; a member who has a role again goes back to the dashboard.
export default async function RemovedMemberPage() {
  const user = await requireSessionUser({ allowRemoved: true });
  if (user.role) redirect("/dashboard");
  return null;
}
