// Every app's key-value stores, with what they hold against the app's quotas; each app links to
// its key browser. Rendered on the server from lib/kv/find-datastores.ts.
import Link from "next/link";
import type { AppDatastores } from "@/lib/kv/find-datastores";
import type { KvQuotas } from "@/lib/kv/kv-schemas";
import { formatSize } from "./value-format";

const keysText = (n: number) => `${n.toLocaleString("en-US")} ${n === 1 ? "key" : "keys"}`;
const share = (used: number, max: number) => `${Math.min(100, Math.round((used / max) * 100))}%`;

export function DatastoreList({ apps, quotas }: { apps: AppDatastores[]; quotas: KvQuotas }) {
  return (
    <div className="max-w-4xl space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">Datastores</h1>
        <p className="mt-1 text-sm text-slate-600">
          Each app has key-value stores its functions reach through the <code className="font-mono">wasmcompute</code> kv imports. An app may hold up to{" "}
          {keysText(quotas.maxKeys)} and {formatSize(quotas.maxTotalBytes)} (keys and values) across its stores.
        </p>
      </header>
      <ul className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white" aria-label="Datastores by app">
        {apps.map((app) => (
          <li key={app.app} className="px-4 py-3 sm:px-6">
            <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
              <span className="font-medium">{app.app}</span>
              <span className="text-sm text-slate-600" data-testid="app-kv-totals">
                {keysText(app.keys)} · {formatSize(app.bytes)}
                <span className="ml-1 text-xs">
                  ({share(app.keys, quotas.maxKeys)} of the key limit, {share(app.bytes, quotas.maxTotalBytes)} of the size limit)
                </span>
              </span>
              <Link href={`/dashboard/apps/${encodeURIComponent(app.app)}/kv`} className="text-sm text-indigo-700 hover:text-indigo-500">
                Browse keys →
              </Link>
            </div>
            {app.stores.length ? (
              <table className="mt-2 w-full text-left text-xs text-slate-700" aria-label={`Stores of ${app.app}`}>
                <thead className="text-slate-600">
                  <tr>
                    <th className="py-0.5 pr-4 font-medium">Store</th>
                    <th className="py-0.5 pr-4 text-right font-medium">Keys</th>
                    <th className="py-0.5 text-right font-medium">Size</th>
                  </tr>
                </thead>
                <tbody>
                  {app.stores.map((store) => (
                    <tr key={store.name}>
                      <td className="py-0.5 pr-4 font-mono">{store.name}</td>
                      <td className="py-0.5 pr-4 text-right tabular-nums">{store.keys.toLocaleString("en-US")}</td>
                      <td className="py-0.5 text-right tabular-nums">{formatSize(store.bytes)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="mt-1 text-xs text-slate-600">No store yet: the app&apos;s first write creates &quot;default&quot;.</p>
            )}
          </li>
        ))}
        {apps.length === 0 ? <li className="px-6 py-3 text-sm text-slate-600">No apps yet: create one under Apps.</li> : null}
      </ul>
    </div>
  );
}
