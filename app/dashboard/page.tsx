import type { Metadata } from "next";
import Link from "next/link";
import { DataTable } from "@/components/data-table";
import { findApps } from "@/lib/apps/find-apps";
import { requireSessionUser } from "@/lib/auth/session";
import { findOverview } from "@/lib/overview/find-overview";
import { tenantGatewayUrl } from "@/lib/platform-urls";

export const metadata: Metadata = { title: "Overview" };

const num = (x: number) => x.toLocaleString("en-US");
/** A UTC time the same on the server and in every browser: "2026-03-10 12:30 UTC". */
const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
const routeName = (route: string) => (route ? `/${route}` : "default route");

export default async function DashboardPage() {
  const user = await requireSessionUser();
  const actor = { tenantId: user.tenantId, tenantName: user.tenantName, scope: "read" as const };
  const [apps, overview] = await Promise.all([findApps({ actor }), findOverview({ actor })]);
  const live = apps.filter((a) => a.live).length;
  const { traffic } = overview;
  return (
    <div className="max-w-4xl space-y-8">
      <header>
        <h1 className="text-2xl font-semibold">Overview</h1>
        <p className="mt-1 text-sm text-slate-600">
          Welcome to {user.tenantName}. Your apps&apos; traffic of the last 24 hours, their latest deploys and anything that hit a limit.
        </p>
      </header>

      <section aria-labelledby="traffic-heading" className="rounded-xl border border-slate-200 bg-white p-6">
        <h2 id="traffic-heading" className="text-sm font-semibold text-slate-700">Last 24 hours, every app</h2>
        <dl className="mt-4 grid grid-cols-1 gap-4 sm:grid-cols-3">
          <div>
            <dt className="text-xs text-slate-600">Requests</dt>
            <dd className="text-2xl font-semibold tabular-nums" data-testid="overview-requests">{num(traffic.requests)}</dd>
          </div>
          <div>
            <dt className="text-xs text-slate-600">Errors (4xx and 5xx)</dt>
            <dd className="text-2xl font-semibold tabular-nums" data-testid="overview-errors">
              {num(traffic.errors)}
              <span className="ml-2 text-sm font-normal text-slate-600">{traffic.requests ? `${traffic.errorRate}%` : ""}</span>
            </dd>
            {traffic.errors ? (
              <dd className="text-xs text-slate-600">
                {num(traffic.errors4xx)} 4xx, {num(traffic.errors5xx)} 5xx
              </dd>
            ) : null}
          </div>
          <div>
            <dt className="text-xs text-slate-600">p99 latency</dt>
            <dd className="text-2xl font-semibold tabular-nums" data-testid="overview-p99">{traffic.p99 === null ? "—" : `${traffic.p99} ms`}</dd>
            <dd className="text-xs text-slate-600">99% of requests took no longer</dd>
          </div>
        </dl>
        <p className="mt-4 text-xs text-slate-600">
          This month so far: {num(overview.month.requests)} metered requests, heading for {num(overview.month.projectedRequests)}.{" "}
          <Link href="/dashboard/usage" className="font-medium text-indigo-700 hover:text-indigo-500">
            Usage &amp; billing
          </Link>
        </p>
      </section>

      <section aria-labelledby="limits-heading" className="rounded-xl border border-slate-200 bg-white p-6">
        <h2 id="limits-heading" className="text-sm font-semibold text-slate-700">Apps over their limits</h2>
        {overview.overLimits.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">No app hit a limit in the last 24 hours.</p>
        ) : (
          <ul className="mt-3 divide-y divide-slate-100" aria-label="Limits hit in the last 24 hours">
            {overview.overLimits.map((hit) => (
              <li key={`${hit.app}/${hit.limit}`} className="flex flex-wrap items-baseline gap-x-2 py-2 text-sm">
                <Link href={`/dashboard/logs?app=${encodeURIComponent(hit.app)}`} className="font-medium text-indigo-700 hover:text-indigo-500">
                  {hit.app}
                </Link>
                <span>
                  {num(hit.count)} {hit.meaning}
                </span>
                <span className="text-xs text-slate-600">
                  ({hit.limit}, last {utc(hit.lastAt)})
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="deploys-heading" className="rounded-xl border border-slate-200 bg-white p-6">
        <h2 id="deploys-heading" className="text-sm font-semibold text-slate-700">Recent deploys</h2>
        {overview.recentDeploys.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">Nothing deployed yet.</p>
        ) : (
          <div className="mt-3 overflow-x-auto">
            <DataTable
              className="text-left"
              aria-labelledby="deploys-heading"
              head="plain"
              headCell="py-1 pr-4 font-medium"
              columns={["App", "Version", "Route", "What", { header: "When", className: "py-1 font-medium" }]}
            >
              {overview.recentDeploys.map((d) => (
                <tr key={`${d.app}/${d.createdAt}/${d.route}`}>
                  <td className="py-1.5 pr-4">
                    <Link href={`/dashboard/apps/${encodeURIComponent(d.app)}`} className="font-medium text-indigo-700 hover:text-indigo-500">
                      {d.app}
                    </Link>
                  </td>
                  <td className="py-1.5 pr-4 font-mono text-xs">
                    {d.version}
                    {d.active ? <span className="ml-1 rounded bg-emerald-50 px-1 text-emerald-800">live</span> : null}
                  </td>
                  <td className="py-1.5 pr-4 text-xs">{routeName(d.route)}</td>
                  <td className="py-1.5 pr-4 text-xs">{d.kind === "rollback" ? "rolled back" : "deployed"}</td>
                  <td className="whitespace-nowrap py-1.5 text-xs text-slate-600">{utc(d.createdAt)}</td>
                </tr>
              ))}
            </DataTable>
          </div>
        )}
      </section>

      <section aria-labelledby="apps-heading" className="rounded-xl border border-slate-200 bg-white p-6">
        <h2 id="apps-heading" className="text-sm font-semibold text-slate-700">Apps</h2>
        {apps.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">
            No apps yet.{" "}
            <Link href="/dashboard/apps" className="font-medium text-indigo-700 hover:text-indigo-500">
              Create your first app
            </Link>{" "}
            from a template, or bring a WASI module built with any toolchain.
          </p>
        ) : (
          <p className="mt-2 text-sm text-slate-600" data-testid="apps-summary">
            {apps.length} {apps.length === 1 ? "app" : "apps"}, {live} deployed.{" "}
            <Link href="/dashboard/apps" className="font-medium text-indigo-700 hover:text-indigo-500">
              Manage apps
            </Link>
          </p>
        )}
      </section>

      <section aria-labelledby="gateway-heading" className="rounded-xl border border-slate-200 bg-white p-6">
        <h2 id="gateway-heading" className="text-sm font-semibold text-slate-700">Your gateway address</h2>
        <p className="mt-1 text-sm text-slate-600">Each app you deploy will answer HTTP requests at:</p>
        <code className="mt-3 block overflow-x-auto rounded-md bg-slate-900 px-4 py-3 font-mono text-sm text-slate-100" data-testid="gateway-url">
          {tenantGatewayUrl(user.tenantName, undefined, process.env)}
        </code>
      </section>
    </div>
  );
}
