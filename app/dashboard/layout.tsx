import type { ReactNode } from "react";
import { Sidebar } from "@/components/layout/sidebar";
import { SpendingCapBanner } from "@/components/usage/spending-cap-banner";
import { requireSessionUser } from "@/lib/auth/session";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requireSessionUser();
  return (
    <div className="flex min-h-full">
      <Sidebar tenantName={user.tenantName} email={user.email} />
      <main className="flex-1 overflow-auto px-10 py-8">
        <SpendingCapBanner tenantId={user.tenantId} />
        {children}
      </main>
    </div>
  );
}
