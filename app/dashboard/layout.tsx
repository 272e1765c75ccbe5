import type { ReactNode } from "react";
import { RoleProvider } from "@/components/layout/role-context";
import { Sidebar } from "@/components/layout/sidebar";
import { SpendingCapBanner } from "@/components/usage/spending-cap-banner";
import { requireSessionUser } from "@/lib/auth/session";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requireSessionUser({ allowRemoved: true });
  const tenants = user.tenants.map((t) => ({ name: t.tenantName, role: t.role }));
  return (
    <div className="flex min-h-full flex-col lg:flex-row">
      <Sidebar tenantName={user.tenantName} email={user.email} role={user.role} tenants={tenants} />
      {/* min-w-0: a wide table scrolls inside its own box instead of widening the page. */}
      <main className="min-w-0 flex-1 px-4 py-6 sm:px-6 lg:px-10 lg:py-8">
        {user.role ? (
          <RoleProvider role={user.role} tenantName={user.tenantName}>
            <SpendingCapBanner tenantId={user.tenantId} />
            {children}
          </RoleProvider>
        ) : (
          <section className="max-w-xl space-y-3" aria-labelledby="removed-heading">
            <h1 id="removed-heading" className="text-2xl font-semibold">You are no longer a member of {user.tenantName}</h1>
            <p className="text-sm text-slate-600">
              {tenants.length ? "Switch to another of your tenants with the switcher in the sidebar." : "You belong to no tenant now. Ask an owner for an invitation."}
            </p>
          </section>
        )}
      </main>
    </div>
  );
}
