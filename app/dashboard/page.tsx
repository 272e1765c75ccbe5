import type { Metadata } from "next";
import { requireSessionUser } from "@/lib/auth/session";
import { tenantGatewayUrl } from "@/lib/platform-urls";

export const metadata: Metadata = { title: "Overview" };

export default async function DashboardPage() {
  const user = await requireSessionUser();
  return (
    <div className="max-w-4xl space-y-8">
      <header>
        <h1 className="text-2xl font-semibold">Welcome to {user.tenantName}</h1>
        <p className="mt-1 text-sm text-slate-500">Your tenant is ready. This is where your apps, their deployments and their traffic will show.</p>
      </header>

      <section aria-labelledby="apps-heading" className="rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center">
        <h2 id="apps-heading" className="text-base font-semibold">No apps yet</h2>
        <p className="mx-auto mt-2 max-w-md text-sm text-slate-500">
          Apps — create from a template, edit in the browser, publish and deploy — are the next part of the console being built.
          Until then this tenant has nothing deployed.
        </p>
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
