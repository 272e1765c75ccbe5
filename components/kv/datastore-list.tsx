"use client";

// Every app's key-value store, with what it holds; each links to its browser.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { api } from "@/lib/client/api";
import type { AppView } from "@/lib/client/types";

export function DatastoreList() {
  const apps = useQuery({ queryKey: ["apps"], queryFn: () => api<{ apps: AppView[] }>("/apps").then((r) => r.apps) });
  return (
    <div className="max-w-4xl space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">Datastores</h1>
        <p className="mt-1 text-sm text-slate-500">Each app has a key-value store its functions reach through the <code className="font-mono">wasmcompute</code> kv imports.</p>
      </header>
      <ul className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white">
        {apps.data?.map((app) => (
          <li key={app.name} className="flex items-center justify-between px-6 py-3">
            <span className="font-medium">{app.name}</span>
            <Link href={`/dashboard/apps/${encodeURIComponent(app.name)}/kv`} className="text-sm text-indigo-600 hover:text-indigo-500">
              Browse keys →
            </Link>
          </li>
        ))}
        {apps.data?.length === 0 ? <li className="px-6 py-3 text-sm text-slate-500">No apps yet: create one under Apps.</li> : null}
      </ul>
    </div>
  );
}
