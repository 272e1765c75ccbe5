import type { ReactNode } from "react";
import { Sidebar } from "@/components/layout/sidebar";
import { SpendingCapBanner } from "@/components/usage/spending-cap-banner";
import { requireSessionUser } from "@/lib/auth/session";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requireSessionUser();
  return (
    <div className="flex min-h-full flex-col lg:flex-row">
      <Sidebar tenantName={user.tenantName} email={user.email} />
      {/* min-w-0: a wide table scrolls inside its own box instead of widening the page. */}
      <main className="min-w-0 flex-1 px-4 py-6 sm:px-6 lg:px-10 lg:py-8">
        <SpendingCapBanner tenantId={user.tenantId} />
        {children}
      </main>
    </div>
  );
}
