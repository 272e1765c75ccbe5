"use client";
// Switches the tenant this console session acts in (PUT /api/v1/session/tenant), shown when the
// user belongs to more than one tenant.
import { useState } from "react";
import { api } from "@/lib/client/api";

export interface SwitcherTenant {
  name: string;
  role: string;
}

export function TenantSwitcher({ current, tenants }: { current: string; tenants: SwitcherTenant[] }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function switchTo(tenant: string) {
    setBusy(true);
    setError(null);
    try {
      await api("/session/tenant", { method: "PUT", json: { tenant } });
      // A full load: every page and cached query belongs to the tenant it was made for.
      window.location.assign("/dashboard");
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  }
  return (
    <div className="mt-2">
      <label htmlFor="tenant-switcher" className="sr-only">
        Switch tenant
      </label>
      <select
        id="tenant-switcher"
        value={current}
        disabled={busy}
        onChange={(e) => switchTo(e.target.value)}
        className="block w-full rounded-md border border-slate-600 bg-slate-900 px-2 py-1 text-xs text-slate-100"
      >
        {tenants.some((t) => t.name === current) ? null : <option value={current}>{current} (no longer a member)</option>}
        {tenants.map((t) => (
          <option key={t.name} value={t.name}>
            {t.name} ({t.role})
          </option>
        ))}
      </select>
      {error ? <p role="alert" className="mt-1 text-xs text-red-300">{error}</p> : null}
    </div>
  );
}
