import type { Metadata } from "next";
import { AccountSecurity } from "@/components/auth/account-security";
import { roleAllows } from "@/lib/auth/roles";
import { requireSessionUser } from "@/lib/auth/session";
import { AuditLog } from "./audit-log";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireSessionUser();
  return (
    <div className="max-w-5xl space-y-6">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <section className="max-w-2xl rounded-xl border border-slate-200 bg-white">
        <h2 className="border-b border-slate-100 px-6 py-4 text-sm font-semibold text-slate-700">Account</h2>
        <dl className="divide-y divide-slate-100 text-sm">
          <div className="flex px-6 py-3">
            <dt className="w-40 text-slate-500">Email</dt>
            <dd>{user.email}</dd>
          </div>
          <div className="flex px-6 py-3">
            <dt className="w-40 text-slate-500">Tenant</dt>
            <dd className="font-mono">{user.tenantName}</dd>
          </div>
        </dl>
      </section>
      <AccountSecurity />
      {/* The audit log needs admin (GET /api/v1/audit); other roles are not shown a refusal. */}
      {user.role && roleAllows(user.role, "admin") ? <AuditLog /> : null}
    </div>
  );
}
