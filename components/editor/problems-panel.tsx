"use client";

import { sortDiagnostics, type Diagnostic } from "@/lib/editor/diagnostics";

/** Every compile problem; a click opens the file at the problem. */
/** `checked` is false until the first build finishes: until then the count says "checking…". */
export function ProblemsPanel({ diagnostics, checked, status, onSelect }: { diagnostics: Diagnostic[]; checked: boolean; status: string; onSelect(d: Diagnostic): void }) {
  const sorted = sortDiagnostics(diagnostics);
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  return (
    <section aria-label="Problems" className="flex h-full flex-col border-t border-slate-200 bg-white">
      <header className="flex items-center gap-3 border-b border-slate-100 px-3 py-1.5 text-xs">
        <span className="font-semibold uppercase tracking-wide text-slate-500">Problems</span>
        <span data-testid="problem-count" className={!checked ? "rounded bg-slate-100 px-1.5 text-slate-700" : errors ? "rounded bg-red-100 px-1.5 text-red-800" : "rounded bg-emerald-50 px-1.5 text-emerald-800"}>
          {!checked ? "checking…" : errors ? `${errors} error${errors > 1 ? "s" : ""}` : "no errors"}
        </span>
        <span className="text-slate-600" data-testid="build-status">
          {status}
        </span>
      </header>
      <ul className="flex-1 overflow-auto font-mono text-xs">
        {sorted.map((d, i) => (
          <li key={i}>
            <button type="button" onClick={() => onSelect(d)} className="flex w-full gap-2 px-3 py-1 text-left hover:bg-slate-50" data-testid="problem">
              <span className={d.severity === "error" ? "text-red-600" : d.severity === "warning" ? "text-amber-600" : "text-slate-500"}>{d.severity}</span>
              <span className="text-slate-500">
                {d.file}:{d.line}:{d.column}
              </span>
              <span className="flex-1 whitespace-pre-wrap text-slate-800">{d.message}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
