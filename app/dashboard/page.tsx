import type { Metadata } from "next";
import Link from "next/link";
import { findApps } from "@/lib/apps/find-apps";
import { requireSessionUser } from "@/lib/auth/session";
import { tenantGatewayUrl } from "@/lib/platform-urls";

export const metadata: Metadata = { title: "Overview" };

export default async function DashboardPage() {
  const user = await requireSessionUser();
  const apps = await findApps({ actor: { tenantId: user.tenantId, tenantName: user.tenantName, scope: "read" } });
  const live = apps.filter((a) => a.live).length;
  return (
    <div className="max-w-4xl space-y-8">
      <header>
        <h1 className="text-2xl font-semibold">Welcome to {user.tenantName}</h1>
        <p className="mt-1 text-sm text-slate-500">Your tenant is ready. This is where your apps, their deployments and their traffic will show.</p>
      </header>

      <section aria-labelledby="apps-heading" className="rounded-xl border border-slate-200 bg-white p-6">
        <h2 id="apps-heading" className="text-sm font-semibold text-slate-700">Apps</h2>
        {apps.length === 0 ? (
          <p className="mt-2 text-sm text-slate-500">
            No apps yet.{" "}
            <Link href="/dashboard/apps" className="font-medium text-indigo-600 hover:text-indigo-500">
              Create your first app
            </Link>{" "}
            from a template, or bring a WASI module built with any toolchain.
          </p>
        ) : (
          <p className="mt-2 text-sm text-slate-500" data-testid="apps-summary">
            {apps.length} {apps.length === 1 ? "app" : "apps"}, {live} deployed.{" "}
            <Link href="/dashboard/apps" className="font-medium text-indigo-600 hover:text-indigo-500">
              Manage apps
            </Link>
          </p>
        )}
      </section>

      <section aria-labelledby="gateway-heading" className="rounded-xl border border-slate-200 bg-white p-6">
        <h2 id="gateway-heading" className="text-sm font-semibold text-slate-700">Your gateway address</h2>
        <p className="mt-1 text-sm text-slate-500">Each app you deploy will answer HTTP requests at:</p>
        <code className="mt-3 block rounded-md bg-slate-900 px-4 py-3 font-mono text-sm text-slate-100" data-testid="gateway-url">
          {tenantGatewayUrl(user.tenantName)}
        </code>
      </section>
    </div>
  );
}
