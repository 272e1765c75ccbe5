import { defaultLimitsTable } from "@/lib/deployment-record/default-limits-table";

/** What an app runs under when its wasmcompute.yaml sets no `limits:` (the one table, DEFAULT_LIMITS). */
export function DefaultLimits() {
  return (
    <section aria-labelledby="limits-heading" className="rounded-xl border border-slate-200 bg-white p-6">
      <h2 id="limits-heading" className="text-sm font-semibold text-slate-700">Default limits</h2>
      <p className="mt-1 text-xs text-slate-500">
        Each request runs under these unless the version&apos;s wasmcompute.yaml sets <code className="font-mono">limits:</code> (the operator&apos;s ceilings cap both).
      </p>
      <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-4">
        {defaultLimitsTable().map((row) => (
          <div key={row.key}>
            <dt className="text-slate-500">
              {row.label} <code className="font-mono text-xs">{row.key}</code>
            </dt>
            <dd className="font-mono text-slate-800">{row.value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
